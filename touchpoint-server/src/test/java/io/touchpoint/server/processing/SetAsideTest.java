package io.touchpoint.server.processing;

import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.server.traffic.TrafficPageViews;
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
 * No single event can halt a stage: an event the identity stage cannot read (its stored body is broken here, as a
 * U+0000 in an identifier was on PostgreSQL) is set aside after a few tries, recorded, counted in the lag and the
 * set-aside metric, shown in the events log, and retried by the administrator once it can be handled; meanwhile
 * the events of every workspace after it are resolved.
 */
class SetAsideTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    /** A connection to the server's database beside the server, to break a stored event as no request can. */
    protected Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("touchpoint.db"));
        try (var s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private void sql(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.executeUpdate();
        }
    }

    private String text(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static double metric(String body, String line) {
        for (String l : body.split("\n")) {
            String plain = l.replace(",}", "}"); // some exposition formats end the labels with a comma
            if (plain.startsWith(line + " ")) return Double.parseDouble(plain.substring(line.length() + 1).strip());
        }
        throw new AssertionError("no metric " + line + " in\n" + body);
    }

    @Test
    void anEventTheIdentityStageCannotReadIsSetAsideShownAndRetried() throws Exception {
        Ws poisoned = newWorkspace();
        Ws other = newWorkspace();
        String template = sendEvent(poisoned, "{\"event_name\":\"purchase\",\"email\":\"first@example.com\"}");
        awaitProcessed();
        long now = System.currentTimeMillis();
        sql("INSERT INTO events (id, workspace_id, source, request_id, received_at, event_time, name, idempotency_key, body)"
                + " VALUES (?, ?, 'cometly', 'req_poison', ?, ?, 'purchase', NULL, 'not json')", "evt_poison", poisoned.id(), now, now);
        sql("INSERT INTO event_log (request_id, item_index, workspace_id, received_at, endpoint, source, outcome, http_status,"
                + " event_name, event_id, payload) VALUES ('req_poison', 0, ?, ?, '/public-api/v1/events', 'cometly', 'accepted',"
                + " 202, 'purchase', 'evt_poison', '{}')", poisoned.id(), now);
        sendEvent(other, "{\"event_name\":\"purchase\",\"email\":\"after@example.com\"}");

        awaitProcessed(); // within 20 s: the stage went past the broken event
        assertThat(profileByIdentifier(other, "email:after@example.com")).containsKey("id");

        Response listed = http.get("/admin/v1/set-aside", ADMIN);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(list(listed.json().get("data"))).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("event_id", "evt_poison").containsEntry("workspace_id", poisoned.id())
                .containsEntry("stage", "identity").containsEntry("tries", StepLoop.SET_ASIDE_TRIES));
        assertThat(list(http.get("/admin/v1/set-aside?workspace=" + other.id(), ADMIN).json().get("data"))).isEmpty();

        String metrics = http.get("/metrics", null).body();
        assertThat(metric(metrics, "touchpoint_stage_set_aside_events{stage=\"identity\"}")).isEqualTo(1.0);
        assertThat(metric(metrics, "touchpoint_identity_lag_events")).as("lag counts what is not processed").isEqualTo(1.0);
        // reports count it too: an event identity set aside is in no report
        Response report = http.get("/api/v1/reports/attribution", poisoned.token());
        assertThat(map(report.json().get("processing"))).as(report.body()).containsEntry("lag_events", 1);

        Map<String, Object> entry = list(http.get("/api/v1/events-log/req_poison", ADMIN).json().get("data")).get(0);
        Map<String, Object> setAside = map(map(entry.get("processing")).get("set_aside"));
        assertThat(setAside).containsEntry("stage", "identity").containsKey("error").containsKey("at")
                .containsEntry("retry_url", "/admin/v1/set-aside/evt_poison/retry");
        assertThat(entry.get("profile_id")).isNull();

        // still broken: the retry fails again, the record stays with one more try
        Response failed = http.postJson("/admin/v1/set-aside/evt_poison/retry", ADMIN, "");
        assertThat(failed.status()).as(failed.body()).isEqualTo(409);
        assertThat(failed.error()).containsEntry("code", "retry_failed");
        assertThat(list(http.get("/admin/v1/set-aside", ADMIN).json().get("data")).get(0))
                .containsEntry("tries", StepLoop.SET_ASIDE_TRIES + 1);

        // repaired: the retry resolves it and runs it through the later stages, which had gone past it
        String body = text("SELECT body FROM events WHERE id = ?", template).replace(template, "evt_poison")
                .replace("first@example.com", "poison@example.com");
        sql("UPDATE events SET body = ? WHERE id = ?", body, "evt_poison");
        Response retried = http.postJson("/admin/v1/set-aside/evt_poison/retry", ADMIN, "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(map(retried.json().get("data"))).containsEntry("set_aside_by", "identity");
        // both retries are in the audit log with the event's workspace (the guard finds it before the retry)
        assertThat(server.store().audit().search(new AuditQuery(null, null, null, null, "set_aside.*", null, null, 10))
                .items()).extracting(e -> e.action() + " " + e.target().id() + " " + e.workspaceId())
                .containsExactly("set_aside.retried evt_poison " + poisoned.id(), "set_aside.retry_failed evt_poison " + poisoned.id());
        // delivery takes it now only if it has gone past it already, otherwise in order: both are right
        @SuppressWarnings("unchecked") List<Object> handledBy = (List<Object>) map(retried.json().get("data")).get("handled_by");
        assertThat(handledBy).startsWith("identity", "attribution");
        Map<String, Object> profile = profileByIdentifier(poisoned, "email:poison@example.com");
        assertThat(profile).containsKey("id");
        Map<String, Object> after = list(http.get("/api/v1/events-log/req_poison", ADMIN).json().get("data")).get(0);
        assertThat(after.get("processing")).isNull();
        assertThat(after.get("profile_id")).isEqualTo(profile.get("id"));
        assertThat(list(http.get("/admin/v1/set-aside", ADMIN).json().get("data"))).isEmpty();
        assertThat(text("SELECT COUNT(*) FROM attribution_conversions WHERE event_id = ?", "evt_poison"))
                .as("attribution handled it too: a purchase is a conversion").isEqualTo("1");

        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (metric(http.get("/metrics", null).body(), "touchpoint_identity_lag_events") != 0 && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
        String cleared = http.get("/metrics", null).body();
        assertThat(metric(cleared, "touchpoint_stage_set_aside_events{stage=\"identity\"}")).isEqualTo(0.0);
        assertThat(metric(cleared, "touchpoint_identity_lag_events")).isEqualTo(0.0);
        assertThat(map(http.get("/api/v1/reports/attribution", poisoned.token()).json().get("processing")))
                .containsEntry("lag_events", 0);

        assertThat(http.postJson("/admin/v1/set-aside/evt_poison/retry", ADMIN, "").status()).isEqualTo(404);
        assertThat(http.get("/admin/v1/set-aside", poisoned.token()).status()).isIn(401, 403);
    }

    /** The traffic report's page views and lag, read as they are now. */
    private long[] traffic(Ws ws) {
        Response r = http.get("/api/v1/reports/traffic", ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new long[]{((Number) map(map(r.json().get("data")).get("totals")).get("page_views")).longValue(),
                ((Number) map(r.json().get("processing")).get("lag_events")).longValue()};
    }

    private long[] trafficOnceSettled(Ws ws, long pageViews, long lag) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long[] now = traffic(ws);
        while ((now[0] != pageViews || now[1] != lag) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = traffic(ws);
        }
        return now;
    }

    @Test
    void aPageViewTheIdentityStageSetAsideIsCountedInTrafficWhenARetryResolvesItAndOnlyOnce() throws Exception {
        Ws ws = newWorkspace();
        TrafficPageViews pageViews = new TrafficPageViews(server, http);
        pageViews.pageView(ws, "tpv.late", "https://shop.example.com/?utm_source=newsletter&utm_medium=email", null);
        awaitProcessed();
        assertThat(trafficOnceSettled(ws, 1, 0)).containsExactly(1, 0);
        String template = text("SELECT id FROM events WHERE workspace_id = ? AND name = 'page_view'", ws.id());
        String templateBody = text("SELECT body FROM events WHERE id = ?", template);
        String source = text("SELECT source FROM events WHERE id = ?", template);
        long now = System.currentTimeMillis();
        sql("INSERT INTO events (id, workspace_id, source, request_id, received_at, event_time, name, idempotency_key, body)"
                + " VALUES (?, ?, ?, 'req_pv_poison', ?, ?, 'page_view', NULL, 'not json')", "evt_pv_poison", ws.id(), source, now, now);
        sql("INSERT INTO event_log (request_id, item_index, workspace_id, received_at, endpoint, source, outcome, http_status,"
                + " event_name, event_id, payload) VALUES ('req_pv_poison', 0, ?, ?, '/collect', ?, 'accepted',"
                + " 202, 'page_view', 'evt_pv_poison', '{}')", ws.id(), now, source);
        pageViews.pageView(ws, "tpv.other", "https://shop.example.com/pricing", null);

        // the traffic stage goes past the set-aside page view and counts the one after it; the report says one is missing
        assertThat(trafficOnceSettled(ws, 2, 1)).as("page views, lag").containsExactly(2, 1);
        assertThat(list(http.get("/admin/v1/set-aside", ADMIN).json().get("data"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("event_id", "evt_pv_poison").containsEntry("stage", "identity"));

        sql("UPDATE events SET body = ? WHERE id = ?", templateBody.replace(template, "evt_pv_poison"), "evt_pv_poison");
        Response retried = http.postJson("/admin/v1/set-aside/evt_pv_poison/retry", ADMIN, "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(traffic(ws)).as("counted in the retry's own transaction").containsExactly(3, 0);

        // later steps do not count it again
        pageViews.pageView(ws, "tpv.third", "https://shop.example.com/", null);
        assertThat(trafficOnceSettled(ws, 4, 0)).containsExactly(4, 0);
        Thread.sleep(300);
        assertThat(traffic(ws)).containsExactly(4, 0);
    }
}
