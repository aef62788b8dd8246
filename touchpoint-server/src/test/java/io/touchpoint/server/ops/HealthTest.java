package io.touchpoint.server.ops;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, readiness, Prometheus metrics, and the OpenAPI document. */
class HealthTest extends ServerTest {
    @Test
    void healthzIs200() {
        Response r = http.get("/healthz", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("status", "ok");
        assertThat(r.header("Request-Id")).isNotBlank();
    }

    @Test
    void readyzIs200WhileTheWriterAndStoreWork() {
        Response r = http.get("/readyz", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("status", "ready");
    }

    @Test
    void metricsAreInPrometheusFormatWithTheIngestMeters() {
        Ws ws = newWorkspace();
        assertThat(http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM).status()).isEqualTo(202);

        Response r = http.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.body()).contains("touchpoint_ingest_commit", "touchpoint_ingest_queue_depth",
                "# TYPE touchpoint_ingest_queue_depth gauge");
        assertThat(r.body()).containsPattern("(?m)^touchpoint_ingest_commit_seconds_count(\\{[^}]*})? [1-9]");
        assertThat(r.body()).containsPattern(
                "(?m)^touchpoint_ingest_events_total\\{[^}]*outcome=\"accepted\"[^}]*} [1-9]");
    }

    @Test
    void openApiIsAJsonDocument() {
        Response r = http.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(HttpTestClient.parse(r.body())).containsKey("openapi").containsKey("paths");
    }
}
