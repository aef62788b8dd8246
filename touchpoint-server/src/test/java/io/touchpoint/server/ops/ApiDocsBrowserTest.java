package io.touchpoint.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API reference page: {@code GET /docs/api} renders /openapi.json with Swagger UI from its WebJar, in the real
 * headless Chromium against the real server: every documented operation is on the page, an operation opens with its
 * responses, nothing is loaded from another origin, and the console stays free of errors (CSP violations included).
 */
class ApiDocsBrowserTest extends ServerTest {
    private static final Path SHOTS = Path.of("target", "screenshots");
    private final HeadlessChromium chromium = new HeadlessChromium();
    @TempDir
    Path profiles;

    @BeforeAll
    void requireChromium() throws Exception {
        HeadlessChromium.require();
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void quit() {
        chromium.close();
    }

    @Test
    void thePageIsServedFromThisServerOnly() {
        Response page = http.get("/docs/api", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-eval");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        Set<String> assets = new HashSet<>();
        while (m.find()) assets.add(m.group(1));
        assertThat(assets).allSatisfy(a -> assertThat(a).startsWith("/"));
        assertThat(assets).anySatisfy(a -> assertThat(a).endsWith("/swagger-ui-bundle.js"));
        for (String a : assets) {
            Response r = http.get(a, null);
            assertThat(r.status()).as(a).isEqualTo(200);
        }
        String bundle = assets.stream().filter(a -> a.endsWith("/swagger-ui-bundle.js")).findFirst().orElseThrow();
        assertThat(http.get(bundle.replace("/assets/", "/assets/0") , null).status()).as("another version").isEqualTo(404);
        assertThat(http.get(bundle.replace("swagger-ui-bundle.js", "index.html"), null).status()).isEqualTo(404);
    }

    @Test
    void swaggerUiRendersEveryOperationOfTheDocument() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(http.get("/openapi.json", null).body());
        Set<String> documented = new HashSet<>();
        doc.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(method -> {
            if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
                documented.add(method.toUpperCase() + " " + p.getKey());
            }
        }));
        assertThat(documented).hasSizeGreaterThan(30);

        ChromeDriver d = chromium.open(profiles.resolve("docs"));
        HeadlessChromium.viewport(d, 1280, 900);
        d.get(server.baseUrl() + "/docs/api");
        waitFor(() -> d.findElements(By.cssSelector(".opblock")).size() >= documented.size(), "every operation rendered");
        Set<String> rendered = new HashSet<>();
        for (WebElement op : d.findElements(By.cssSelector(".opblock"))) {
            String method = op.findElement(By.cssSelector(".opblock-summary-method")).getText().strip();
            String path = op.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path");
            rendered.add(method + " " + path);
        }
        assertThat(rendered).isEqualTo(documented);
        assertThat(d.findElement(By.cssSelector(".info .title")).getText()).contains(doc.path("info").path("title").asText());
        Files.write(SHOTS.resolve("api-docs-1280.png"), d.getScreenshotAs(OutputType.BYTES));

        // an operation opens with its responses, and "Try it out" would send to this very server
        WebElement events = d.findElement(By.id("operations-ingest-sendEvent"));
        events.findElement(By.cssSelector(".opblock-summary")).click();
        waitFor(() -> !d.findElements(By.cssSelector(".opblock.is-open .responses-table")).isEmpty(), "an opened operation");
        assertThat(d.findElement(By.cssSelector(".opblock.is-open")).getText()).contains("202");
        assertThat(d.findElement(By.cssSelector(".servers select")).getText()).contains(server.baseUrl());
        Files.write(SHOTS.resolve("api-docs-operation-1280.png"), d.getScreenshotAs(OutputType.BYTES));

        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
        Object foreign = HeadlessChromium.js(d, "return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => !n.startsWith(location.origin) && !n.startsWith('data:'))");
        assertThat((List<?>) foreign).as("resources from elsewhere").isEmpty();
    }
}
