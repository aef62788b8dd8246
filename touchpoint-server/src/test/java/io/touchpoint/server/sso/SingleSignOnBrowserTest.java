package io.touchpoint.server.sso;

import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.TestServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in page's single sign-on button, followed in headless Chromium through a real OpenID Connect provider
 * (mock-oauth2-server on {@code localhost}, another site than the server on {@code 127.0.0.1}): its login form, the
 * redirect back, and the dashboard page the flow began from, signed in. The provider's redirect back is a cross-site
 * navigation, as with any real provider, so this is where the cookies' SameSite attributes are put to the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleSignOnBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");
    private final HeadlessChromium chromium = new HeadlessChromium();
    private MockOAuth2Server provider;
    private TestServer server;
    @TempDir
    Path profiles;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        HeadlessChromium.require();
        Files.createDirectories(SHOTS);
        provider = new MockOAuth2Server(new OAuth2Config(true));
        provider.start();
        server = TestServer.start(data, Map.of(
                "sso.issuer", provider.issuerUrl("default").toString().replaceAll("/$", ""),
                "sso.client-id", "touchpoint-dashboard",
                "sso.client-secret", "client-secret-for-tests",
                "sso.button-label", "Example SSO",
                "sso.admin-emails", "owner@example.com"));
    }

    @AfterEach
    void quitBrowsers() {
        chromium.close();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        if (provider != null) provider.shutdown();
    }

    private ChromeDriver browser() {
        ChromeDriver d = chromium.open(profiles.resolve("p" + System.nanoTime()));
        HeadlessChromium.viewport(d, 1280, 860);
        return d;
    }

    private static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    /** From a dashboard page, signed out, through the button and the provider's login form, as {@code email}. */
    private void signInThroughTheProvider(ChromeDriver d, String email) {
        d.get(server.baseUrl() + "/dashboard/events");
        WebElement button = await(d, "#sso-sign-in");
        assertThat(button.getText()).isEqualTo("Sign in with Example SSO");
        button.click();
        WebElement user = await(d, "input[name=username]");
        assertThat(d.getCurrentUrl()).startsWith(provider.issuerUrl("default").toString());
        user.sendKeys(email);
        d.findElement(By.cssSelector("textarea[name=claims]"))
                .sendKeys("{\"email\": \"" + email + "\", \"email_verified\": true}");
        d.findElement(By.cssSelector("input[type=submit]")).click();
    }

    @Test
    void theButtonSignsInThroughTheProviderAndReturnsToThePageAsked() throws Exception {
        ChromeDriver d = browser();
        d.get(server.baseUrl() + "/sign-in");
        await(d, "#sso-sign-in");
        Files.write(SHOTS.resolve("sign-in-sso-1280.png"), d.getScreenshotAs(OutputType.BYTES));
        assertThat(HeadlessChromium.consoleErrors(d)).as("console errors on the sign-in page").isEmpty();

        signInThroughTheProvider(d, "owner@example.com");
        waitFor(() -> d.getCurrentUrl().equals(server.baseUrl() + "/dashboard/events"), "the events log, signed in");
        await(d, "#sign-out"); // the page's header is drawn for a live session
        assertThat(d.manage().getCookieNamed("tp_session")).isNotNull();
    }

    @Test
    void anEmailThatMayNotSignInIsShownWhy() {
        ChromeDriver d = browser();
        signInThroughTheProvider(d, "stranger@example.com");
        WebElement why = await(d, "#sso-error");
        assertThat(why.getText()).contains("stranger@example.com").contains("no Touchpoint user");
        assertThat(d.findElement(By.tagName("body")).getText()).contains("sso_user_unknown");
        d.findElement(By.linkText("Back to sign-in")).click();
        await(d, "#admin-token");
        assertThat(d.manage().getCookieNamed("tp_session")).isNull();
    }
}
