package io.touchpoint.server.ops;

import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting rules shipped in deploy/prometheus-alerts.yml: each rule complete (a name used once, an expression, a
 * severity, a summary and a description), and every Touchpoint metric and label value an expression reads one that a
 * real server exposes on /metrics once it has taken a conversion and had a webhook refuse it.
 */
class PrometheusAlertRulesTest extends ServerTest {
    private static final Path RULES = Path.of("..", "deploy", "prometheus-alerts.yml");
    /** A metric name, or names written as a regular expression's alternatives: touchpoint_(a|b)_lag_events. */
    private static final Pattern METRIC = Pattern.compile("touchpoint_(?:\\(([a-z_|]+)\\)_)?([a-z_]+)");
    private static final Pattern SELECTOR = Pattern.compile("(touchpoint_[a-z_]+)\\{([a-z_]+)=\"([^\"]+)\"}");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            out.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleIsCompleteAndNamedOnce() throws IOException {
        List<Map<String, Object>> rules = rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(5);
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> rule : rules) {
            String name = (String) rule.get("alert");
            assertThat(name).matches("Touchpoint[A-Z][A-Za-z]+");
            assertThat(names.add(name)).as("%s named once", name).isTrue();
            assertThat((String) rule.get("expr")).as(name).isNotBlank();
            if (rule.containsKey("for")) assertThat((String) rule.get("for")).as(name).matches("\\d+[smh]");
            assertThat(((Map<String, Object>) rule.get("labels")).get("severity")).as(name).isIn("warning", "critical");
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat((String) annotations.get("summary")).as(name).isNotBlank();
            assertThat((String) annotations.get("description")).as(name).isNotBlank();
        }
        assertThat(names).contains("TouchpointStorageFull", "TouchpointDeliveriesWaiting");
    }

    @Test
    void everyMetricAndLabelValueARuleReadsIsOneTheServerExposes() throws Exception {
        try (FakeWebhookReceiver hook = new FakeWebhookReceiver("whsec_alert_rules_test_secret")) {
            hook.respondWith(400, "{\"error\":\"unknown event\"}");
            Ws ws = newWorkspace();
            Response added = http.postJson("/admin/v1/workspaces/" + ws.id() + "/destinations", TestServer.ADMIN_TOKEN,
                    json(Map.of("type", "webhook", "name", "refusing hook", "settings",
                            Map.of("url", hook.baseUrl() + "/hooks/touchpoint", "secret", "whsec_alert_rules_test_secret"))));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            sendEvent(ws, json(Map.of("event_name", "purchase", "email", "alerts@example.com", "amount", 10)));
            String metrics = awaitMetrics("touchpoint_deliveries_total{", "outcome=\"failed\"");

            Set<String> read = new LinkedHashSet<>();
            for (Map<String, Object> rule : rules()) {
                String expr = (String) rule.get("expr");
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    if (m.group(1) == null) read.add("touchpoint_" + m.group(2));
                    else for (String part : m.group(1).split("\\|")) read.add("touchpoint_" + part + "_" + m.group(2));
                }
                Matcher s = SELECTOR.matcher(expr);
                while (s.find()) {
                    String label = s.group(2) + "=\"" + s.group(3) + "\"";
                    // a status class the server names like this one (5xx), though none was answered here
                    String seen = s.group(2).equals("status") ? "status=\"" : label;
                    if (s.group(2).equals("status")) assertThat(s.group(3)).matches("[1-5]xx");
                    assertThat(metrics.lines().anyMatch(l -> l.startsWith(s.group(1) + "{") && l.contains(seen)))
                            .as("%s{%s} on /metrics", s.group(1), label).isTrue();
                }
            }
            assertThat(read).contains("touchpoint_delivery_oldest_open_age_seconds", "touchpoint_identity_lag_events");
            for (String name : read) {
                assertThat(metrics.lines().anyMatch(l -> l.startsWith(name + " ") || l.startsWith(name + "{")))
                        .as("%s on /metrics", name).isTrue();
            }
        }
    }

    /** /metrics once a line starting with {@code start} holds {@code text}, within 20 s. */
    private String awaitMetrics(String start, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.get("/metrics", null).body();
            if (body.lines().anyMatch(l -> l.startsWith(start) && l.contains(text))) return body;
            Thread.sleep(50);
        }
        throw new AssertionError("/metrics never showed " + start + "…" + text + ":\n" + body);
    }
}
