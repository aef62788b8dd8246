package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Paths and People pages in the real headless Chromium show what their APIs answer: every path with its
 * conversions, revenue, days and touchpoints; every person with their conversions and revenue, found by any
 * identifier and linked to their journey. Both pages are screenshotted as {@link DashboardBrowserTest} does. Any
 * browser console error fails the test.
 */
class PathsAndPeopleBrowserTest extends BrowserServerTest {
    private static final String META = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring";
    private static final String NEWSLETTER = "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=may";

    private void seed(Ws ws) throws InterruptedException {
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tA\",\"url\":\"" + META + "\"}");
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tA\",\"url\":\"" + NEWSLETTER + "\"}");
        sendEvent(ws, "{\"event_name\":\"purchase\",\"comet_token\":\"tA\",\"email\":\"ann@shop.io\",\"amount\":120,\"currency\":\"USD\"}");
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tB\",\"url\":\"" + META + "\"}");
        sendEvent(ws, "{\"event_name\":\"purchase\",\"comet_token\":\"tB\",\"email\":\"bob@shop.io\",\"amount\":80,\"currency\":\"USD\"}");
        sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"cy@shop.io\",\"amount\":15,\"currency\":\"EUR\"}");
        awaitProcessed();
    }

    private static String cell(WebElement row, String metric) {
        return row.findElement(By.cssSelector("[data-metric=" + metric + "]")).getText();
    }

    @Test
    void thePathsPageShowsEveryPathTheApiCounts() throws Exception {
        Ws ws = newWorkspace();
        seed(ws);
        Map<String, Object> api = map(http.get("/api/v1/reports/paths?event_name=purchase&limit=50", ws.token()).json().get("data"));
        List<Map<String, Object>> paths = list(api.get("paths"));
        assertThat(paths).hasSize(3);

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/paths?ws=" + ws.id() + "&event_name=purchase");
        HeadlessChromium.await(d, "#paths-table tbody tr");
        assertThat(d.findElement(By.id("paths-conversions")).getText()).isEqualTo("3");
        assertThat(d.findElement(By.id("paths-distinct")).getText()).isEqualTo("3");
        List<WebElement> rows = d.findElements(By.cssSelector("#paths-table tbody tr"));
        assertThat(rows).hasSize(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            Map<String, Object> p = paths.get(i);
            WebElement row = rows.get(i);
            assertThat(row.getAttribute("data-path")).isEqualTo(String.join(" > ", (List<String>) (List<?>) p.get("path")));
            assertThat(cell(row, "conversions")).isEqualTo(String.valueOf(p.get("conversions")));
            assertThat(cell(row, "touches")).isEqualTo(String.valueOf(((Number) p.get("average_touches")).intValue()));
        }
        WebElement twoSteps = d.findElement(By.cssSelector("#paths-table tr[data-path='Paid Social > Email']"));
        assertThat(twoSteps.findElement(By.cssSelector("td.path")).getText()).isEqualTo("Paid Social → Email");
        assertThat(cell(twoSteps, "revenue")).isEqualTo("$120.00");
        assertThat(cell(twoSteps, "share")).isEqualTo("33.33%");
        WebElement none = d.findElement(By.cssSelector("#paths-table tr[data-path='(direct)']"));
        assertThat(none.getText()).contains("No touchpoint (direct)");
        assertThat(cell(none, "revenue")).contains("$0.00").contains("€15.00");
        java.nio.file.Files.createDirectories(DashboardBrowserTest.SHOTS);
        DashboardBrowserTest.screenshots(d, "paths");
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }

    @Test
    void thePeoplePageListsSearchesAndLinksEachPersonToTheirJourney() throws Exception {
        Ws ws = newWorkspace();
        seed(ws);
        List<Map<String, Object>> people = list(http.get("/api/v1/profiles", ws.token()).json().get("data"));
        assertThat(people).hasSize(3);

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/people?ws=" + ws.id());
        HeadlessChromium.await(d, "#people-table tbody tr");
        List<WebElement> rows = d.findElements(By.cssSelector("#people-table tbody tr"));
        assertThat(rows).extracting(r -> r.getAttribute("data-profile")).containsExactlyElementsOf(
                people.stream().map(p -> (String) p.get("id")).toList());
        Map<String, Object> ann = people.stream().filter(p -> list(p.get("identifiers")).stream()
                .anyMatch(i -> "ann@shop.io".equals(i.get("value")))).findFirst().orElseThrow();
        WebElement annRow = d.findElement(By.cssSelector("#people-table tr[data-profile='" + ann.get("id") + "']"));
        assertThat(cell(annRow, "conversions")).isEqualTo(String.valueOf(ann.get("conversions")));
        assertThat(cell(annRow, "revenue")).isEqualTo("$120.00");
        java.nio.file.Files.createDirectories(DashboardBrowserTest.SHOTS);
        DashboardBrowserTest.screenshots(d, "people");

        d.findElement(By.id("people-search")).sendKeys("ANN@", Keys.ENTER);
        waitFor(() -> d.findElements(By.cssSelector("#people-table tbody tr")).size() == 1, "only Ann");
        d.findElement(By.cssSelector("#people-table tbody tr a.person")).click();
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/journeys") && !d.findElements(By.id("profile-id")).isEmpty(), "Ann's journey");
        assertThat(d.findElement(By.id("profile-id")).getText()).isEqualTo(ann.get("id"));
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }
}
