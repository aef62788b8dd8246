package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.SignedIn;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;

import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as each role sees it, in the real headless Chromium: an analyst signs in with e-mail and password and
 * gets the events log, reports and journeys without setup, tokens, destinations or users; an admin gets the
 * workspace's pages but not users; an owner of every workspace invites someone from the Users page, and the invitation
 * link lets the new user choose a password and arrive signed in.
 */
class RolesBrowserTest extends BrowserServerTest {
    private ChromeDriver signedIn(String email) {
        ChromeDriver d = browser();
        d.get(server.baseUrl() + "/sign-in");
        await(d, "#email").sendKeys(email);
        d.findElement(By.id("password")).sendKeys(SignedIn.PASSWORD, Keys.ENTER);
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/"), "a dashboard page after signing in");
        await(d, "#nav a");
        return d;
    }

    private static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    private static List<String> nav(ChromeDriver d) {
        return d.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    @Test
    void anAnalystSeesReportsButNoSettingsTokensDestinationsOrUsers() {
        Ws ws = newWorkspace();
        SignedIn.user(http, "analyst-" + ws.id() + "@example.com", "analyst", List.of(ws.id()));
        ChromeDriver d = signedIn("analyst-" + ws.id() + "@example.com");
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/events"), "the events log, not setup, for an analyst");
        assertThat(nav(d)).containsExactly("Events log", "Attribution", "Paths", "Traffic", "People", "Journeys", "Ad accounts");
        await(d, "#filter-request-id");
        assertThat(d.findElements(By.id("send-test-event"))).as("no test-event button").isEmpty();

        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id());
        await(d, "#report table, #report .empty");
        assertThat(d.findElements(By.id("recompute"))).as("no recompute button").isEmpty();

        d.get(server.baseUrl() + "/dashboard/ad-accounts?ws=" + ws.id());
        await(d, "#ad-accounts .empty, #ad-accounts .ad-account");
        assertThat(d.findElements(By.id("add-ad-account"))).as("connecting is an admin's").isEmpty();

        for (String page : List.of("setup", "destinations", "users")) {
            d.get(server.baseUrl() + "/dashboard/" + page + "?ws=" + ws.id());
            waitFor(() -> d.getCurrentUrl().contains("/dashboard/events"), page + " sends an analyst to the events log");
            await(d, "#filter-request-id");
        }
        assertThat(d.findElements(By.id("create-token"))).isEmpty();
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }

    @Test
    void anAdminSeesTheWorkspacePagesButNotUsers() {
        Ws ws = newWorkspace();
        SignedIn.user(http, "admin-" + ws.id() + "@example.com", "admin", List.of(ws.id()));
        ChromeDriver d = signedIn("admin-" + ws.id() + "@example.com");
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/setup"), "setup for an admin");
        assertThat(nav(d)).containsExactly("Setup", "Events log", "Attribution", "Paths", "Traffic", "People", "Journeys", "Destinations",
                "Ad accounts", "Exports");
        await(d, "#create-token");
        assertThat(d.findElements(By.id("create-workspace"))).as("creating workspaces is an owner's").isEmpty();
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }

    @Test
    void anOwnerInvitesSomeoneWhoChoosesAPasswordFromTheLink() {
        Ws ws = newWorkspace();
        SignedIn.user(http, "owner-" + ws.id() + "@example.com", "owner", "all");
        ChromeDriver d = signedIn("owner-" + ws.id() + "@example.com");
        assertThat(nav(d)).contains("Users");
        d.get(server.baseUrl() + "/dashboard/users?ws=" + ws.id());
        String invited = "new-" + ws.id().toLowerCase() + "@example.com";
        await(d, "#invite-email").sendKeys(invited);
        d.findElement(By.id("invite")).click();
        String link = await(d, "#link-url").getText();
        assertThat(link).contains("/invite/tpi_");
        waitFor(() -> d.findElements(By.cssSelector("#users tr[data-email='" + invited + "']")).size() == 1, "the invited user listed");

        ChromeDriver newcomer = browser();
        newcomer.get(link);
        await(newcomer, "#new-password").sendKeys("my own long password");
        newcomer.findElement(By.id("repeat-password")).sendKeys("my own long password", Keys.ENTER);
        waitFor(() -> newcomer.getCurrentUrl().contains("/dashboard/events"), "signed in as an analyst");
        await(newcomer, "#nav a");
        assertThat(nav(newcomer)).containsExactly("Events log", "Attribution", "Paths", "Traffic", "People", "Journeys", "Ad accounts");
        assertThat(HeadlessChromium.consoleErrors(d)).as("owner's console errors").isEmpty();
        assertThat(HeadlessChromium.consoleErrors(newcomer)).as("newcomer's console errors").isEmpty();
    }
}
