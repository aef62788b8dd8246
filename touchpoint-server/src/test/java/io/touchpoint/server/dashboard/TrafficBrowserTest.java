package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.traffic.TrafficPageViews;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static io.touchpoint.server.dashboard.DashboardBrowserTest.await;
import static io.touchpoint.server.dashboard.DashboardBrowserTest.noConsoleErrors;
import static io.touchpoint.server.dashboard.DashboardBrowserTest.screenshots;
import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Traffic page in headless Chromium against the real server, fed real pixel page views over HTTP: its figures,
 * landing pages, sources and days are the API's, "—" stands where a rate has no visit to divide, and the preset is kept
 * in the URL.
 */
class TrafficBrowserTest extends BrowserServerTest {
    private static String text(ChromeDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    @Test
    void theTrafficPageShowsTheApisFiguresForThePixelsPageViews() throws Exception {
        Ws ws = newWorkspace();
        TrafficPageViews pixel = new TrafficPageViews(server, http);
        pixel.threeVisitors(ws);
        awaitProcessed();
        Map<String, Object> api = pixel.counted(ws, ""); // the last 30 days, as the page's default preset
        Map<String, Object> totals = map(api.get("totals"));
        assertThat(totals).containsEntry("visitors", 3).containsEntry("page_views", 4);

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/traffic?ws=" + ws.id());
        await(d, "#traffic-pages tbody tr");
        assertThat(text(d, "traffic-visitors")).isEqualTo(String.valueOf(totals.get("visitors")));
        assertThat(text(d, "traffic-visits")).isEqualTo(String.valueOf(totals.get("visits")));
        assertThat(text(d, "traffic-page-views")).isEqualTo(String.valueOf(totals.get("page_views")));
        assertThat(text(d, "traffic-bounce-rate")).isEqualTo("66.7%"); // 2 of 3 visits
        assertThat(text(d, "traffic-pages-per-visit")).isEqualTo("1.33");
        List<WebElement> pages = d.findElements(By.cssSelector("#traffic-pages tbody tr"));
        List<Map<String, Object>> apiPages = list(api.get("landing_pages"));
        assertThat(pages).hasSize(apiPages.size());
        for (int i = 0; i < pages.size(); i++) {
            assertThat(pages.get(i).getAttribute("data-path")).isEqualTo(apiPages.get(i).get("path"));
            assertThat(pages.get(i).findElement(By.cssSelector("[data-metric=visits]")).getText())
                    .isEqualTo(String.valueOf(apiPages.get(i).get("visits")));
        }
        List<Map<String, Object>> apiSources = list(api.get("sources"));
        assertThat(d.findElements(By.cssSelector("#traffic-sources tbody tr"))).hasSize(apiSources.size());
        for (Map<String, Object> s : apiSources) {
            WebElement row = d.findElement(By.cssSelector("#traffic-sources tr[data-source='" + s.get("source") + "']"));
            assertThat(row.getAttribute("data-channel")).isEqualTo(s.get("channel"));
            assertThat(row.findElement(By.cssSelector("[data-metric=visits]")).getText()).isEqualTo(String.valueOf(s.get("visits")));
        }
        for (Map<String, Object> day : list(api.get("days"))) {
            if (((Number) day.get("visits")).intValue() == 0) continue;
            WebElement row = d.findElement(By.cssSelector("#traffic-days tr[data-day='" + day.get("day") + "']"));
            assertThat(row.findElement(By.cssSelector("[data-metric=page_views]")).getText()).isEqualTo(String.valueOf(day.get("page_views")));
        }
        assertThat(d.findElement(By.id("traffic-csv")).getAttribute("href")).contains("/api/v1/reports/traffic").contains("format=csv");
        java.nio.file.Files.createDirectories(DashboardBrowserTest.SHOTS);
        screenshots(d, "traffic");
        noConsoleErrors(d);

        // a range without page views: counts of 0, and "—" for the rates that have no visit to divide
        js(d, "const s = document.getElementById('preset'); s.value = 'last_month'; s.dispatchEvent(new Event('change'));");
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitFor(() -> d.getCurrentUrl().contains("preset=last_month"), "the preset in the URL");
        waitFor(() -> !d.findElements(By.cssSelector("#traffic .empty")).isEmpty(), "the empty range");
        assertThat(text(d, "traffic-visits")).isEqualTo("0");
        assertThat(text(d, "traffic-bounce-rate")).isEqualTo("—");
        assertThat(text(d, "traffic-pages-per-visit")).isEqualTo("—");
        noConsoleErrors(d);
    }
}
