package io.touchpoint.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.http.RequestTelemetry;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.server.support.ServerProcess.CreatedWorkspace;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.server.telemetry.TraceParent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Observability: the log in either format carries each request's fields and its W3C trace id, and /metrics has
 * latency histograms per route template and status, the ingest commit and stage step histograms, and the JVM's and
 * the process's meters. The server runs for real: a separate process for the log (its standard error is read), and
 * over loopback for /metrics.
 */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @TempDir
    Path dir;

    /** log.format=json from the config file (logging is reloaded), every request logged (log.requests, env). */
    @Test
    @Timeout(120)
    void jsonLogLinesParseAndCarryTheRequestFieldsAndTheTraceId() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        Path config = Files.writeString(dir.resolve("touchpoint.properties"), "log.format = json\n");
        String log;
        Response accepted;
        Response unknownPath;
        Response badTrace;
        try (ServerProcess server = ServerProcess.start(data, Map.of("TOUCHPOINT_LOG_REQUESTS", "all"),
                "--config", config.toString())) {
            accepted = server.http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM,
                    Map.of("traceparent", TRACEPARENT));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            unknownPath = server.http.send(server.http.request("/no/such/path?secret=x").header("traceparent",
                    "00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01").GET().build());
            assertThat(unknownPath.status()).isEqualTo(404);
            badTrace = server.http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM,
                    Map.of("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
            assertThat(badTrace.status()).isEqualTo(202);
            assertThat(server.terminate(Duration.ofSeconds(20))).isZero();
            log = server.log();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.isBlank()) continue;
            try {
                lines.add(JSON.readTree(line));
            } catch (Exception e) {
                fail("a log line that is not JSON: " + line + "\n" + log);
            }
        }
        assertThat(lines).allSatisfy(l -> assertThat(l.fieldNames()).toIterable()
                .contains("timestamp", "level", "loggerName", "formattedMessage", "mdc"));
        assertThat(lines).anySatisfy(l -> assertThat(l.path("formattedMessage").asText()).isEqualTo("stopped"));

        JsonNode ingest = lineOf(lines, accepted.header("Request-Id"), log).path("mdc");
        assertThat(ingest.path("method").asText()).isEqualTo("POST");
        assertThat(ingest.path("path").asText()).isEqualTo("/public-api/v1/events");
        assertThat(ingest.path("route").asText()).isEqualTo("/public-api/v1/events");
        assertThat(ingest.path("status").asText()).isEqualTo("202");
        assertThat(Double.parseDouble(ingest.path("duration_ms").asText())).isGreaterThanOrEqualTo(0);
        assertThat(ingest.path("workspace").asText()).isEqualTo(ws.id());
        assertThat(ingest.path("trace_id").asText()).isEqualTo(TRACE_ID);

        JsonNode missing = lineOf(lines, unknownPath.header("Request-Id"), log).path("mdc");
        assertThat(missing.path("route").asText()).isEqualTo(RequestTelemetry.UNMATCHED);
        assertThat(missing.path("path").asText()).as("no query string in the log").isEqualTo("/no/such/path");
        assertThat(missing.path("status").asText()).isEqualTo("404");
        assertThat(missing.has("trace_id")).as("an upper-case traceparent is invalid, so ignored").isFalse();
        assertThat(missing.has("workspace")).isFalse();

        assertThat(lineOf(lines, badTrace.header("Request-Id"), log).path("mdc").has("trace_id"))
                .as("an all-zero trace id is invalid").isFalse();
    }

    /** The default logfmt lines carry the same fields as key=value pairs; only failed requests by default. */
    @Test
    @Timeout(120)
    void logfmtLinesCarryTheRequestFieldsAndTheTraceIdOfFailedRequests() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        String log;
        Response refused;
        Response accepted;
        try (ServerProcess server = ServerProcess.start(data)) {
            refused = server.http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"nope\"}",
                    Map.of("traceparent", TRACEPARENT));
            assertThat(refused.status()).isEqualTo(422);
            accepted = server.http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM);
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(server.terminate(Duration.ofSeconds(20))).isZero();
            log = server.log();
        }
        String line = log.lines().filter(l -> l.contains("request_id=" + refused.header("Request-Id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no line for the refused request in\n" + log));
        assertThat(line).startsWith("time=").contains(" level=INFO ", " logger=requests ",
                " trace_id=" + TRACE_ID + " method=POST path=/public-api/v1/events route=/public-api/v1/events status=422 duration_ms=",
                " workspace=" + ws.id() + " msg=\"POST /public-api/v1/events -> 422 in ");
        assertThat(log).as("a successful request is not logged by default").doesNotContain(accepted.header("Request-Id"));
    }

    @Test
    void metricsHaveLatencyHistogramsPerRouteTemplateAndStatusAndTheProcessMeters() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("metrics"))) {
            String token = server.createWorkspace("metrics").token().secret();
            Response sent = server.http.postJson("/public-api/v1/events", token, Payloads.MINIMUM);
            assertThat(sent.status()).isEqualTo(202);
            String requestId = sent.header("Request-Id");
            assertThat(server.http.get("/api/v1/events-log/" + requestId, token).status()).isEqualTo(200);
            assertThat(server.http.get("/api/v1/events-log/req_unknown", token).status()).isEqualTo(404);
            assertThat(server.http.get("/no/such/path/" + requestId, null).status()).isEqualTo(404);
            server.awaitProcessed();

            String metrics = scrapeUntil(server, "touchpoint_stage_step_seconds_count{outcome=\"done\",stage=\"identity\"}");
            String requests = "touchpoint_http_request_duration_seconds";
            assertThat(metrics).contains("# TYPE " + requests + " histogram");
            for (String series : List.of(
                    "method=\"POST\",route=\"/public-api/v1/events\",status=\"202\"",
                    "method=\"GET\",route=\"/api/v1/events-log/{requestId}\",status=\"200\"",
                    "method=\"GET\",route=\"/api/v1/events-log/{requestId}\",status=\"404\"",
                    "method=\"GET\",route=\"unmatched\",status=\"404\"")) {
                for (String le : List.of("0.001", "0.005", "0.1", "1.0", "10.0", "+Inf")) {
                    assertThat(metrics).as(series + " le=" + le)
                            .containsPattern(Pattern.quote(requests + "_bucket{" + series + ",le=\"" + le + "\"}") + " \\d");
                }
                assertThat(count(metrics, requests + "_count{" + series + "}")).as(series).isGreaterThanOrEqualTo(1);
            }
            assertThat(metrics).as("the raw path never becomes a label").doesNotContain(requestId).doesNotContain("/no/such");

            assertThat(metrics).contains("# TYPE touchpoint_ingest_commit_seconds histogram",
                    "touchpoint_ingest_commit_seconds_bucket{le=\"0.005\"}", "touchpoint_ingest_batch_size_bucket{le=\"100.0\"}",
                    "# TYPE touchpoint_stage_step_seconds histogram");
            assertThat(count(metrics, "touchpoint_ingest_commit_seconds_count")).isGreaterThanOrEqualTo(1);
            for (String stage : List.of("identity", "attribution")) {
                assertThat(count(metrics, "touchpoint_stage_step_seconds_count{outcome=\"done\",stage=\"" + stage + "\"}"))
                        .as(stage + " steps").isGreaterThanOrEqualTo(1);
                assertThat(metrics).contains("touchpoint_stage_step_seconds_bucket{outcome=\"done\",stage=\"" + stage + "\",le=\"0.01\"}");
            }
            assertThat(metrics).contains("touchpoint_stage_step_seconds_bucket{outcome=\"failed\",stage=\"delivery\",le=\"0.01\"}");
            // the event's e-mail, added to the people search's index by its stage (SQLite)
            assertThat(count(scrapeUntil(server, "touchpoint_people_search_indexed_links_total"),
                    "touchpoint_people_search_indexed_links_total")).isGreaterThanOrEqualTo(1);

            // the edge's own meters, under the names the README's Metrics table gives
            for (String meter : List.of("touchpoint_http_responses_total{status=\"2xx\"}",
                    "touchpoint_ingest_events_total{endpoint=\"/public-api/v1/events\",outcome=\"accepted\"}",
                    "touchpoint_ingest_queue_depth", "touchpoint_storage_full", "touchpoint_build_info{")) {
                assertThat(metrics).as(meter).containsPattern("(?m)^" + Pattern.quote(meter));
            }
            for (String meter : List.of("jvm_memory_used_bytes{", "jvm_buffer_memory_used_bytes{", "jvm_gc_memory_allocated_bytes_total",
                    "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "process_cpu_usage", "system_cpu_count", "process_uptime_seconds", "process_start_time_seconds",
                    "process_files_open_files", "process_files_max_files")) {
                assertThat(metrics).as(meter).containsPattern("(?m)^" + Pattern.quote(meter));
            }
        }
    }

    @Test
    void traceparentFollowsTheW3cRules() {
        assertThat(TraceParent.parse(TRACEPARENT)).hasValueSatisfying(t -> {
            assertThat(t.traceId()).isEqualTo(TRACE_ID);
            assertThat(t.parentId()).isEqualTo("00f067aa0ba902b7");
            assertThat(t.sampled()).isTrue();
        });
        assertThat(TraceParent.parse(" " + TRACEPARENT + " ")).as("surrounding whitespace").isPresent();
        assertThat(TraceParent.parse("01-" + TRACE_ID + "-00f067aa0ba902b7-00-what-comes-later")).as("a later version")
                .hasValueSatisfying(t -> assertThat(t.sampled()).isFalse());
        for (String invalid : List.of("", "00", TRACEPARENT + "-", TRACEPARENT + "0",
                "ff-" + TRACE_ID + "-00f067aa0ba902b7-01",
                "0g-" + TRACE_ID + "-00f067aa0ba902b7-01",
                "00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-" + TRACE_ID + "-0000000000000000-01",
                "00-" + TRACE_ID + "-00f067aa0ba902b7-0x",
                "00_" + TRACE_ID + "-00f067aa0ba902b7-01",
                "01-" + TRACE_ID + "-00f067aa0ba902b7-01x")) {
            assertThat(TraceParent.parse(invalid)).as("'" + invalid + "'").isEmpty();
        }
        assertThat(TraceParent.of(List.of(TRACEPARENT, TRACEPARENT))).as("sent twice").isEmpty();
        assertThat(TraceParent.of(List.of())).isEmpty();
    }

    private static JsonNode lineOf(List<JsonNode> lines, String requestId, String log) {
        return lines.stream().filter(l -> requestId.equals(l.path("mdc").path("request_id").asText())
                        && l.path("mdc").has("route"))
                .findFirst().orElseThrow(() -> new AssertionError("no request line for " + requestId + " in\n" + log));
    }

    /** Scrapes /metrics until a series is there with a count above zero (the stages run in the background). */
    private static String scrapeUntil(TestServer server, String series) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Response r = server.http.get("/metrics", null);
            assertThat(r.status()).isEqualTo(200);
            if (count(r.body(), series) > 0 || System.nanoTime() > deadline) return r.body();
            Thread.sleep(100);
        }
    }

    private static double count(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
