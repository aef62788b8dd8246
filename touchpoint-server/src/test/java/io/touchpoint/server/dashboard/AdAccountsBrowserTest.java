package io.touchpoint.server.dashboard;

import io.touchpoint.server.adaccounts.fakes.AdRow;
import io.touchpoint.server.adaccounts.fakes.FakeTikTokReporting;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Ad accounts page in the real headless Chromium: a TikTok advertiser connected from the form (an id the
 * server refuses named in the form first), synced with Sync now against a local stand-in of TikTok's reporting
 * API, its last sync shown with the rows the API holds; a revoked token shown with TikTok's own message; removal.
 */
class AdAccountsBrowserTest extends BrowserServerTest {
    private static final String TOKEN = "tiktok-browser-token-4411";
    private final FakeTikTokReporting tiktok = new FakeTikTokReporting("7000000000000000042", TOKEN, "USD");

    @Override
    protected Map<String, String> settings() {
        return Map.of("ad-sync.tiktok-url", tiktok.baseUrl());
    }

    @AfterAll
    void stopFake() {
        tiktok.close();
    }

    private static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    @Test
    void aTikTokAdvertiserIsConnectedSyncedAndItsRefusalShown() throws Exception {
        Ws ws = newWorkspace();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        tiktok.add(new AdRow(today, "c1", "Launch", "g1", "Broad", "ad1", "Clip", "12.50", 1000, 20, "2", "40"));
        tiktok.add(new AdRow(today.minusDays(1), "c1", "Launch", "g1", "Broad", "ad1", "Clip", "7.50", 600, 9, "1", "20"));
        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/ad-accounts?ws=" + ws.id());
        await(d, "#ad-accounts .empty");
        d.findElement(By.id("add-ad-account")).click();
        await(d, "#ad-account-form select[name=platform]").sendKeys("TikTok");
        d.findElement(By.cssSelector("#ad-account-form input[name=name]")).sendKeys("TikTok launch");
        d.findElement(By.cssSelector("#ad-account-form input[name=account_id]")).sendKeys("not-an-id");
        d.findElement(By.cssSelector("#ad-account-form input[name=access_token]")).sendKeys(TOKEN);
        d.findElement(By.cssSelector("#ad-account-form button[type=submit]")).click();
        assertThat(await(d, "#ad-account-form .form-errors .error").getText()).contains("account_id");
        WebElement id = d.findElement(By.cssSelector("#ad-account-form input[name=account_id]"));
        id.clear();
        id.sendKeys("7000000000000000042");
        d.findElement(By.cssSelector("#ad-account-form button[type=submit]")).click();
        assertThat(await(d, "#ad-accounts .ad-account .last-sync").getText()).contains("never");

        d.findElement(By.cssSelector("#ad-accounts .sync-now")).click();
        waitFor(() -> d.findElement(By.cssSelector("#ad-accounts .last-sync")).getText().contains("2 rows"), "the sync's rows");
        assertThat(d.findElement(By.cssSelector("#ad-accounts .last-sync")).getText()).contains("ok");
        assertThat(server.store().attribution().adSpend(ws.id(), today.minusDays(1), today)).hasSize(2);
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Files.write(shots.resolve("ad-accounts.png"), d.getScreenshotAs(OutputType.BYTES));

        tiktok.revokeToken();
        d.findElement(By.cssSelector("#ad-accounts .sync-now")).click();
        waitFor(() -> d.findElement(By.cssSelector("#ad-accounts .last-sync")).getText().contains("auth failed"), "the refusal");
        assertThat(d.findElement(By.cssSelector("#ad-accounts .sync-message")).getText()).contains("40105").contains("revoked");
        assertThat(d.findElement(By.id("ad-accounts")).getText()).doesNotContain(TOKEN);

        d.findElement(By.cssSelector("#ad-accounts .remove")).click();
        d.findElement(By.cssSelector("#ad-accounts .remove")).click();
        await(d, "#ad-accounts .empty");
        assertThat(tiktok.violations()).isEmpty();
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors, refusals aside")
                .allSatisfy(e -> assertThat(e).contains("422"));
    }
}
