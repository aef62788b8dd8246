package io.touchpoint.server.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The system's headless Chromium (Debian's chromium and chromedriver) for browser tests: started with background
 * networking off so that nothing leaves the machine, each browser on its own profile folder. Without Chromium a
 * test class skips on a developer machine and fails with CI=true.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Held so that its level sticks (java.util.logging keeps loggers weakly). */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");
    private final List<ChromeDriver> drivers = new ArrayList<>();

    /** Skips the calling test class when Chromium is missing, or fails it when CI=true. */
    public static void require() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "headless Chromium not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "); install with: apt-get install -y chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
            Assumptions.abort("browser tests skipped: " + why);
        }
        SELENIUM_LOG.setLevel(Level.SEVERE); // Selenium warns that it has no CDP module for this Chromium: not used here
    }

    /** A new browser on {@code profile}, with its console kept for {@link #consoleErrors}. */
    public ChromeDriver open(Path profile) {
        return open(profile, List.of(), false);
    }

    /**
     * A new browser on {@code profile} with more command-line arguments (e.g. {@code --host-resolver-rules}); with
     * {@code networkLog}, the DevTools protocol's Network events are kept in the {@link LogType#PERFORMANCE} log.
     */
    public ChromeDriver open(Path profile, List<String> arguments, boolean networkLog) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile);
        o.addArguments(arguments);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        if (networkLog) {
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            o.setExperimentalOption("perfLoggingPrefs", java.util.Map.of("enableNetwork", true, "enablePage", false));
        }
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
        drivers.add(d);
        return d;
    }

    public void quit(ChromeDriver d) {
        drivers.remove(d);
        try {
            d.quit();
        } catch (RuntimeException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        for (ChromeDriver d : List.copyOf(drivers)) quit(d);
    }

    /** Sets the viewport (not the window) to width × height CSS pixels. */
    public static void viewport(ChromeDriver d, int width, int height) {
        d.manage().window().setSize(new Dimension(width, height));
        Long innerW = (Long) js(d, "return window.innerWidth");
        Long innerH = (Long) js(d, "return window.innerHeight");
        d.manage().window().setSize(new Dimension(2 * width - innerW.intValue(), 2 * height - innerH.intValue()));
    }

    /** Console messages at SEVERE since the last call: errors, failed loads, CSP violations. */
    public static List<String> consoleErrors(ChromeDriver d) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) out.add(e.getMessage());
        }
        return out;
    }

    /** The first element {@code css} matches, once there is one. */
    public static org.openqa.selenium.WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(org.openqa.selenium.By.cssSelector(css)).isEmpty(), css);
        return d.findElement(org.openqa.selenium.By.cssSelector(css));
    }

    /** Signs {@code d} in to the dashboard at {@code baseUrl} with the administrator token; it lands on the setup page. */
    public static void signIn(ChromeDriver d, String baseUrl, String adminToken) {
        d.get(baseUrl + "/sign-in");
        await(d, "#admin-token").sendKeys(adminToken, org.openqa.selenium.Keys.ENTER);
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/setup"), "the setup page after signing in");
    }

    public static Object js(ChromeDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    public static void waitFor(BooleanSupplier condition, String what) {
        waitFor(Duration.ofSeconds(15), condition, what);
    }

    /** An element the page re-rendered between finding and reading it counts as "not yet", and is looked up again. */
    public static void waitFor(Duration limit, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + limit + " waiting for " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return false;
        }
    }
}
