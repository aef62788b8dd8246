package io.touchpoint.server.exports;

import io.touchpoint.server.destinations.fakes.FakeExportReceiver;
import io.touchpoint.server.eventlog.EventLogCsv;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** The export schedules' admin API, and a run now writing its folder's file or posting to a signed webhook. */
class ExportApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String SECRET = "whsec_given_by_the_bi_team_0123456789";

    private String exports(Ws ws) {
        return "/admin/v1/workspaces/" + ws.id() + "/exports";
    }

    private Response create(Ws ws, Map<String, Object> body) {
        return http.postJson(exports(ws), ADMIN, json(body));
    }

    @Test
    void aScheduleIsMadeListedReadAndRemovedAndItsSecretNeverShownAgain() {
        Ws ws = newWorkspace();
        Response folder = create(ws, Map.of("name", "campaigns daily", "what", "attribution_report",
                "params", Map.of("group_by", "campaign", "model", "linear"), "folder", "bi/daily", "hour", 6));
        assertThat(folder.status()).as(folder.body()).isEqualTo(201);
        assertThat(folder.json()).containsEntry("what", "attribution_report").containsEntry("folder", "bi/daily")
                .containsEntry("hour", 6).containsEntry("webhook_url", null).containsEntry("last_run", null)
                .doesNotContainKey("webhook_secret");
        assertThat(map(folder.json().get("params"))).containsEntry("group_by", "campaign").containsEntry("model", "linear");

        Response hook = create(ws, Map.of("name", "log to warehouse", "what", "events_log",
                "webhook_url", "https://bi.example.com/touchpoint", "hour", 23));
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        String secret = (String) hook.json().get("webhook_secret");
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(30);
        String hookId = (String) hook.json().get("id");
        assertThat(server.store().exports().byId(hookId).orElseThrow().sealedSecret()).doesNotContain(secret);

        Response list = http.get(exports(ws), ADMIN);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list(list.json().get("data"))).extracting(m -> m.get("name")).containsExactly("campaigns daily", "log to warehouse");
        assertThat(list.body()).doesNotContain(secret);
        Response one = http.get(exports(ws) + "/" + hookId, ADMIN);
        assertThat(one.json()).containsEntry("webhook_url", "https://bi.example.com/touchpoint").doesNotContainKey("webhook_secret");
        assertThat(one.body()).doesNotContain(secret);

        Ws other = newWorkspace();
        assertError(http.get(exports(other) + "/" + hookId, ADMIN), 404, "not_found");
        assertThat(http.get(exports(ws), ws.token()).status()).as("a workspace token is not an admin").isEqualTo(401);

        assertThat(http.delete(exports(ws) + "/" + hookId, ADMIN).status()).isEqualTo(200);
        assertError(http.get(exports(ws) + "/" + hookId, ADMIN), 404, "not_found");
        assertThat(list(http.get(exports(ws), ADMIN).json().get("data"))).hasSize(1);
    }

    @Test
    void aBadScheduleIsRefusedNamingTheField() {
        Ws ws = newWorkspace();
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("what", Map.of("name", "x", "what", "profiles", "folder", "bi", "hour", 1));
        bad.put("folder", Map.of("name", "x", "what", "events_log", "hour", 1));
        bad.put("webhook_url", Map.of("name", "x", "what", "events_log", "folder", "bi", "webhook_url", "https://a.example", "hour", 1));
        bad.put("hour", Map.of("name", "x", "what", "events_log", "folder", "bi", "hour", 24));
        bad.put("params.group_by", Map.of("name", "x", "what", "attribution_report", "params", Map.of("group_by", "planet"),
                "folder", "bi", "hour", 1));
        bad.put("params.from", Map.of("name", "x", "what", "attribution_report", "params", Map.of("from", "2026-01-01"),
                "folder", "bi", "hour", 1));
        bad.put("params", Map.of("name", "x", "what", "events_log", "params", Map.of("group_by", "channel"), "folder", "bi", "hour", 1));
        bad.put("params.window", Map.of("name", "x", "what", "attribution_report", "params", Map.of("window", "5"),
                "folder", "bi", "hour", 1));
        bad.put("params.platform", Map.of("name", "x", "what", "attribution_report", "params", Map.of("model", "source_first_touch"),
                "folder", "bi", "hour", 1));
        bad.put("params.average", Map.of("name", "x", "what", "attribution_report", "params", Map.of("average", "lead.score"),
                "folder", "bi", "hour", 1));
        bad.put("params.sort", Map.of("name", "x", "what", "attribution_report", "params", Map.of("sort", "ctr"),
                "folder", "bi", "hour", 1));
        bad.put("secret", Map.of("name", "x", "what", "events_log", "folder", "bi", "hour", 1, "secret", "s"));
        for (Map.Entry<String, Map<String, Object>> b : bad.entrySet()) {
            Response r = create(ws, b.getValue());
            assertThat(r.status()).as(b.getKey() + ": " + r.body()).isEqualTo(422);
            assertThat(r.error().get("param")).as(r.body()).isEqualTo(b.getKey());
        }
        for (String folder : List.of("/etc", "../outside", "bi/../../outside", "bi//x", ".hidden", "C:\\data", "bi/.")) {
            Response r = create(ws, Map.of("name", "x", "what", "events_log", "folder", folder, "hour", 1));
            assertThat(r.status()).as(folder + ": " + r.body()).isEqualTo(422);
            assertThat(r.error().get("param")).isEqualTo("folder");
        }
        Response plainHttp = create(ws, Map.of("name", "x", "what", "events_log", "webhook_url", "http://bi.example.com/hook", "hour", 1));
        assertThat(plainHttp.error().get("param")).isEqualTo("webhook_url");
        assertThat(list(http.get(exports(ws), ADMIN).json().get("data"))).isEmpty();
    }

    @Test
    void runningNowWritesTheDaysFilesIntoTheFolderUnderTheExportRoot() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"folder@example.com\",\"amount\":20,\"currency\":\"USD\"}");
        awaitProcessed();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String log = (String) create(ws, Map.of("name", "log", "what", "events_log", "folder", "bi/daily", "hour", 6)).json().get("id");
        String report = (String) create(ws, Map.of("name", "report", "what", "attribution_report", "params",
                Map.of("group_by", "campaign", "model", "last_touch"), "folder", "bi/daily", "hour", 6)).json().get("id");

        Response ran = http.post(exports(ws) + "/" + log + "/run?day=" + today, ADMIN, null, "");
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        assertThat(ran.json()).containsEntry("status", "ok").containsEntry("day", today.toString());
        Path dir = dataDir.resolve("exports").resolve("bi").resolve("daily");
        Path logFile = dir.resolve(ws.id() + "-events-log-" + today + ".csv");
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo(String.join(",", EventLogCsv.COLUMNS));
        assertThat(lines).hasSize(2).anyMatch(l -> l.contains("folder@example.com"));

        assertThat(http.post(exports(ws) + "/" + report + "/run?day=" + today, ADMIN, null, "").json()).containsEntry("status", "ok");
        List<String> reportLines = Files.readAllLines(dir.resolve(ws.id() + "-attribution-campaign-" + today + ".csv"));
        assertThat(reportLines.get(0)).isEqualTo("group,model,currency,conversions,revenue,cost,cost_per_conversion,roas");
        assertThat(reportLines).hasSize(2).anyMatch(l -> l.endsWith(",last_touch,USD,1.0,20.0,,,"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").allMatch(n -> n.endsWith(".csv"))
                    .hasSize(2);
        }

        // run again: the file is replaced whole, and the schedule shows the run
        assertThat(http.post(exports(ws) + "/" + log + "/run?day=" + today, ADMIN, null, "").json()).containsEntry("status", "ok");
        assertThat(Files.readAllLines(logFile)).hasSize(2);
        Map<String, Object> last = map(http.get(exports(ws) + "/" + log, ADMIN).json().get("last_run"));
        assertThat(last).containsEntry("status", "ok").containsEntry("day", today.toString())
                .containsEntry("message", "bi/daily/" + logFile.getFileName());
        assertError(http.post(exports(ws) + "/" + log + "/run?day=yesterday", ADMIN, null, ""), 400, "invalid_parameter");
    }

    @Test
    void aScheduledReportTakesTheReportsColumnsAndItsFileIsTheReportsCsv() throws Exception {
        Ws ws = newWorkspace();
        io.touchpoint.core.model.Funnel f = server.workspaces().createFunnel(ws.id(), "site-" + ws.name());
        long now = java.time.Instant.now().getEpochSecond();
        for (String[] visit : List.of(new String[]{"a", "facebook", "paid_social", "70"}, new String[]{"b", "google", "cpc", "30"},
                new String[]{"c", "facebook", "paid_social", "\"hot\""})) {
            for (String[] e : List.of(new String[]{"PageView", "\"utm_source\":\"" + visit[1] + "\",\"utm_medium\":\"" + visit[2]
                    + "\",\"utm_campaign\":\"" + visit[1] + "-spring\""}, new String[]{"Purchase", "\"deal_value\":20,"
                    + "\"deal_currency\":\"USD\",\"custom_data\":{\"lead_score\":" + visit[3] + "}"})) {
                Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\""
                        + e[0] + "\",\"event_time\":" + (e[0].equals("PageView") ? now - 60 : now - 30)
                        + ",\"resource\":{\"keys\":{\"client_id\":\"" + visit[0] + "\"}," + e[1] + "}}");
                assertThat(r.status()).as(r.body()).isEqualTo(202);
            }
        }
        awaitProcessed();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("group_by", "campaign");
        params.put("model", "first_touch,source_last_touch");
        params.put("platform", "meta");
        params.put("window", "7");
        params.put("events", "purchase,lead_generated");
        params.put("value_event", "purchase");
        params.put("average", "lead_score");
        params.put("sort", "first_touch.lead_score.average:asc");
        params.put("hide_empty", "true");
        String id = (String) create(ws, Map.of("name", "columns", "what", "attribution_report", "params", params,
                "folder", "bi", "hour", 6)).json().get("id");
        assertThat(http.post(exports(ws) + "/" + id + "/run?day=" + today, ADMIN, null, "").json()).containsEntry("status", "ok");
        String file = Files.readString(dataDir.resolve("exports").resolve("bi").resolve(ws.id() + "-attribution-campaign-" + today + ".csv"));

        StringBuilder query = new StringBuilder("/api/v1/reports/attribution?format=csv&from=" + today + "&to=" + today);
        params.forEach((k, v) -> query.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        Response route = http.get(query.toString(), ws.token());
        assertThat(route.status()).as(route.body()).isEqualTo(200);
        assertThat(file).isEqualTo(route.body());
        // the columns are there, sorted by first touch's average, ascending: google's 30, then facebook's 70 (c's word not counted)
        List<String> lines = file.replace("\"", "").lines().toList(); // the writer quotes some text cells
        assertThat(lines).hasSize(5).first().asString()
                .endsWith(",purchase_conversions,purchase_revenue,lead_generated_conversions,lead_generated_revenue,lead_score_average");
        // a row's models line by line; Meta's touches are facebook's, so Google's campaign has none under source last touch
        assertThat(lines.subList(1, 5)).containsExactly(
                "google-spring,first_touch,USD,1.0,20.0,,,,1.0,20.0,0.0,0.0,30.0",
                "google-spring,source_last_touch,USD,0.0,0.0,,,,0.0,0.0,0.0,0.0,",
                "facebook-spring,first_touch,USD,2.0,40.0,,,,2.0,40.0,0.0,0.0,70.0",
                "facebook-spring,source_last_touch,USD,2.0,40.0,,,,2.0,40.0,0.0,0.0,70.0");
    }

    @Test
    void runningNowPostsTheFileToTheWebhookSignedWithItsSecret() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"hook@example.com\"}");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (FakeExportReceiver receiver = new FakeExportReceiver(SECRET)) {
            Response made = create(ws, Map.of("name", "log", "what", "events_log", "webhook_url", receiver.baseUrl() + "/in",
                    "webhook_secret", SECRET, "hour", 2));
            assertThat(made.json()).doesNotContainKey("webhook_secret");
            String id = (String) made.json().get("id");
            Response ran = http.post(exports(ws) + "/" + id + "/run?day=" + today, ADMIN, null, "");
            assertThat(ran.json()).as(ran.body()).containsEntry("status", "ok");
            assertThat(receiver.violations()).isEmpty();
            assertThat(receiver.files()).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo(ws.id() + "-events-log-" + today + ".csv");
                assertThat(f.idempotencyKey()).isEqualTo(id + "-" + today);
                assertThat(f.csv()).startsWith(String.join(",", EventLogCsv.COLUMNS)).contains("hook@example.com");
            });

            // a refusal is final: not tried again, and the schedule says why
            receiver.failNext(1, 400, "{\"error\":\"unknown table\"}", null);
            Response refused = http.post(exports(ws) + "/" + id + "/run?day=" + today, ADMIN, null, "");
            assertThat(refused.json()).containsEntry("status", "failed");
            assertThat((String) refused.json().get("message")).contains("HTTP 400").contains("unknown table");
            assertThat(receiver.requests()).hasSize(2);
            assertThat(map(http.get(exports(ws) + "/" + id, ADMIN).json().get("last_run"))).containsEntry("status", "failed");
        }
    }
}
