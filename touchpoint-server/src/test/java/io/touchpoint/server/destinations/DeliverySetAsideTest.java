package io.touchpoint.server.destinations;

import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery stage sets aside an event it cannot route (its stored body is broken here) and goes on with the next,
 * whose delivery is sent; a retry of the repaired event runs it through every stage that went past it, delivery
 * included, and clears each stage's record.
 */
class DeliverySetAsideTest extends DeliveryServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    protected Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("touchpoint.db"));
        try (var s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private String sql(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            if (!sql.startsWith("SELECT")) {
                ps.executeUpdate();
                return null;
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void anEventDeliveryCannotRouteIsSetAsideAndTheNextIsSent() throws Exception {
        try (FakeWebhookReceiver hook = new FakeWebhookReceiver("whsec_test_secret")) {
            Ws ws = newWorkspace();
            String dst = (String) addDestination(ws, "webhook", Map.of("url", hook.baseUrl() + "/hooks/touchpoint",
                    "secret", "whsec_test_secret"), Map.of("events", List.of("purchase"))).get("id");
            String template = sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"first@example.com\",\"order_id\":\"o-1\"}");
            awaitStatus(ws, template, dst, "sent");
            long now = System.currentTimeMillis();
            sql("INSERT INTO events (id, workspace_id, source, request_id, received_at, event_time, name, idempotency_key, body)"
                    + " VALUES ('evt_broken', ?, 'cometly', 'req_broken', ?, ?, 'purchase', NULL, 'not json')", ws.id(), now, now);
            String after = sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"after@example.com\",\"order_id\":\"o-2\"}");
            awaitStatus(ws, after, dst, "sent");

            List<Map<String, Object>> setAside = list(http.get("/admin/v1/set-aside?workspace=" + ws.id(), ADMIN).json().get("data"));
            assertThat(setAside).extracting(m -> m.get("stage")).containsExactlyInAnyOrder("identity", "delivery");
            assertThat(http.get("/metrics", null).body()).contains("touchpoint_stage_set_aside_events{stage=\"delivery\"");

            String body = sql("SELECT body FROM events WHERE id = ?", template).replace(template, "evt_broken")
                    .replace("first@example.com", "broken@example.com").replace("o-1", "o-3");
            sql("UPDATE events SET body = ? WHERE id = ?", body, "evt_broken");
            Response retried = http.postJson("/admin/v1/set-aside/evt_broken/retry", ADMIN, "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertThat(map(retried.json().get("data"))).containsEntry("set_aside_by", "identity")
                    .containsEntry("handled_by", List.of("identity", "attribution", "delivery"));
            awaitStatus(ws, "evt_broken", dst, "sent");
            assertThat(list(http.get("/admin/v1/set-aside", ADMIN).json().get("data"))).isEmpty();
        }
    }
}
