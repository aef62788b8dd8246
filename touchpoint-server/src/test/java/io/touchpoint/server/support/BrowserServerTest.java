package io.touchpoint.server.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;

/**
 * A {@link ServerTest} that drives the real headless Chromium: skipped without it (failed with CI=true), each browser
 * on a profile folder of its own, every browser quit after each test.
 */
public abstract class BrowserServerTest extends ServerTest {
    protected final HeadlessChromium chromium = new HeadlessChromium();
    @TempDir
    protected Path profiles;

    @BeforeAll
    void requireChromium() {
        HeadlessChromium.require();
    }

    @AfterEach
    void quitBrowsers() {
        chromium.close();
    }

    /** A new browser at desktop size, signed in to the dashboard with the administrator token, on the setup page. */
    protected ChromeDriver signedIn() {
        ChromeDriver d = browser();
        HeadlessChromium.signIn(d, server.baseUrl(), TestServer.ADMIN_TOKEN);
        return d;
    }

    /** A new browser at desktop size (1280 × 860). */
    protected ChromeDriver browser() {
        ChromeDriver d = chromium.open(profiles.resolve("p" + System.nanoTime()));
        HeadlessChromium.viewport(d, 1280, 860);
        return d;
    }
}
