package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.await;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's audit log page in the real headless Chromium: reached from the navigation, it lists what was done
 * (the browser's own sign-in included) newest first with who, where and the fields a change set, filters by action
 * and workspace, and loads older pages. No secret is on the page, and any browser console error fails the test.
 */
class AuditLogBrowserTest extends BrowserServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String META_TOKEN = "EAAB-secret-meta-token-browser";

    private void admin(String method, String path, String body) {
        Response r = http.send(http.request(path).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.status()).as(path + ": " + r.body()).isBetween(200, 299);
    }

    private static List<WebElement> rows(ChromeDriver d) {
        return d.findElements(By.cssSelector("#audit tbody tr"));
    }

    private static List<String> actions(ChromeDriver d) {
        return rows(d).stream().map(r -> r.getAttribute("data-action")).toList();
    }

    /** The page as it is now at desktop and phone width, into target/screenshots as the other browser tests do. */
    private static void screenshots(ChromeDriver d, String name) throws Exception {
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        for (int width : new int[] {1280, 390}) {
            HeadlessChromium.viewport(d, width, width == 1280 ? 860 : 844);
            Thread.sleep(300); // the layout settles at the new width
            Files.write(shots.resolve(name + "-" + width + ".png"), d.getScreenshotAs(OutputType.BYTES));
        }
        HeadlessChromium.viewport(d, 1280, 860);
    }

    @Test
    void listsFiltersAndPagesWhatWasDoneWithoutASecret() throws Exception {
        Ws ws = newWorkspace(), other = newWorkspace();
        admin("POST", "/admin/v1/workspaces/" + ws.id() + "/tokens", "{\"name\":\"checkout\"}");
        admin("POST", "/admin/v1/workspaces/" + other.id() + "/destinations", json(Map.of("type", "meta", "name", "Meta",
                "settings", Map.of("pixel_id", "1", "access_token", META_TOKEN), "enabled", false)));
        for (int i = 0; i < 55; i++) admin("PUT", "/admin/v1/workspaces/" + ws.id() + "/settings", "{\"rate_limit_per_minute\":" + (600 + i) + "}");

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/setup?ws=" + ws.id());
        await(d, "nav a[href^='/dashboard/audit']").click();
        waitFor(() -> rows(d).size() == 50, "the first page of the audit log");
        assertThat(d.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Audit log");
        WebElement newest = rows(d).get(0);
        assertThat(newest.getAttribute("data-action")).isEqualTo("session.signed_in"); // the browser's own
        assertThat(newest.getText()).contains("Administrator").contains("administrator token").contains("127.0.0.1");
        assertThat(actions(d).subList(1, 50)).containsOnly("settings.changed");
        assertThat(rows(d).get(1).getText()).contains(ws.name()).contains("rate_limit_per_minute").contains("general");
        screenshots(d, "audit-log");

        // older pages, then everything: the destination names the secret field it set, never its value
        WebElement more = d.findElement(By.id("audit-more"));
        assertThat(more.isDisplayed()).isTrue();
        more.click();
        waitFor(() -> rows(d).size() > 50, "an older page");
        waitFor(() -> actions(d).contains("destination.created"), "the destination's entry");
        assertThat(d.findElement(By.id("audit")).getText()).contains("settings.access_token").doesNotContain(META_TOKEN);
        assertThat(d.getPageSource()).doesNotContain(META_TOKEN).doesNotContain(ADMIN);

        // filters: a family of actions in one workspace
        d.findElement(By.id("audit-action")).sendKeys("token.*");
        d.findElement(By.cssSelector("#audit-workspace option[value='" + ws.id() + "']")).click();
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitFor(() -> actions(d).equals(List.of("token.created")), "only the token created in that workspace");
        assertThat(d.findElement(By.id("audit-more")).isDisplayed()).isFalse();
        d.findElement(By.cssSelector("#audit-workspace option[value='" + other.id() + "']")).click();
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitFor(() -> d.findElement(By.id("audit")).getText().contains("Nothing recorded here"), "nothing of that family there");
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }
}
