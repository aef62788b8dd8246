package io.touchpoint.server.dashboard;

import io.touchpoint.server.destinations.fakes.FakeExportReceiver;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.touchpoint.server.support.HeadlessChromium.await;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Exports page in the real headless Chromium: an admin adds a daily report export into a folder and an events-log
 * export to a webhook (its generated secret shown once), runs each now, sees how the runs went, and removes one.
 */
class ExportsBrowserTest extends BrowserServerTest {
    private static List<WebElement> rows(ChromeDriver d) {
        return d.findElements(By.cssSelector("#exports tbody tr"));
    }

    private static WebElement row(ChromeDriver d, String name) {
        return d.findElement(By.cssSelector("#exports tbody tr[data-name='" + name + "']"));
    }

    private static String lastRun(ChromeDriver d, String name) {
        return row(d, name).findElement(By.cssSelector(".last-run")).getText();
    }

    @Test
    void anAdminAddsRunsAndRemovesDailyExports() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"browser-export@example.com\"}");
        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/setup?ws=" + ws.id());
        await(d, "nav a[href^='/dashboard/exports']").click();
        await(d, "#export-form");
        assertThat(d.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Exports");
        assertThat(d.findElement(By.id("exports")).getText()).contains("No exports yet");

        d.findElement(By.id("export-name")).sendKeys("Campaigns daily");
        d.findElement(By.cssSelector("#export-group-by option[value='campaign']")).click();
        d.findElement(By.id("export-folder")).sendKeys("bi/daily");
        d.findElement(By.id("export-save")).click();
        waitFor(() -> rows(d).size() == 1, "the folder export listed");
        assertThat(d.findElements(By.id("export-secret-value"))).as("no secret for a folder").isEmpty();

        try (FakeExportReceiver receiver = new FakeExportReceiver("unknown-until-shown")) {
            d.findElement(By.id("export-name")).sendKeys("Log to warehouse");
            d.findElement(By.cssSelector("#export-what option[value='events_log']")).click();
            assertThat(d.findElement(By.id("export-group-by")).isDisplayed()).isFalse();
            d.findElement(By.cssSelector("#export-where option[value='webhook']")).click();
            d.findElement(By.id("export-url")).sendKeys(receiver.baseUrl() + "/in");
            d.findElement(By.id("export-save")).click();
            waitFor(() -> rows(d).size() == 2, "the webhook export listed");
            String secret = await(d, "#export-secret-value").getText().strip();
            assertThat(secret).startsWith("whsec_");

            row(d, "Campaigns daily").findElement(By.cssSelector("button[data-run]")).click();
            waitFor(() -> lastRun(d, "Campaigns daily").startsWith("ok"), "the folder run done");
            LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            Path file = dataDir.resolve("exports/bi/daily/" + ws.id() + "-attribution-campaign-" + yesterday + ".csv");
            assertThat(Files.readString(file)).startsWith("group,model,currency");

            // the receiver does not know the secret yet: its refusal shows on the page
            row(d, "Log to warehouse").findElement(By.cssSelector("button[data-run]")).click();
            waitFor(() -> lastRun(d, "Log to warehouse").startsWith("failed"), "the webhook refused");
            assertThat(lastRun(d, "Log to warehouse")).contains("HTTP 400");
            d.navigate().refresh();
            await(d, "#exports tbody tr");
            assertThat(d.getPageSource()).as("the secret is shown once").doesNotContain(secret);

            row(d, "Log to warehouse").findElement(By.cssSelector("button.danger")).click();
            row(d, "Log to warehouse").findElement(By.cssSelector("button.danger")).click();
            waitFor(() -> rows(d).size() == 1, "the webhook export removed");
        }
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }
}
