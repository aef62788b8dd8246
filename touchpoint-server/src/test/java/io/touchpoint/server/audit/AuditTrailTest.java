package io.touchpoint.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail over HTTP, table-driven: every change route of the OpenAPI document (ingest and the pixel aside)
 * and every export is in {@link AuditedChanges}, and each, called for real, leaves one entry with its action, its
 * actor, the caller's address, the request id of its answer, its workspace and its target. Then: no secret that went
 * through any of those requests (the administrator token, API tokens, platform credentials, webhook secrets, session
 * cookies and CSRF tokens) is anywhere in the log; reads, refusals and ingest leave nothing.
 */
class AuditTrailTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String FORWARDED_FOR = "203.0.113.9";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Routes outside the audit log: ingest's, whose volume it must not carry. */
    private static final Set<String> INGEST_TAGS = Set.of("ingest", "pixel");
    /** Reads that are exports, and so audited. */
    private static final Set<String> EXPORTS = Set.of("GET /api/v1/profiles/{id}/export", "GET /api/v1/reports/attribution",
            "GET /api/v1/events-log");
    /** Audited like the routes that change something; walked in SingleSignOnTest, which has an OpenID provider. */
    private static final Set<String> SIGN_INS = Set.of("GET /admin/v1/sso/callback");

    /** One audited call as the walk made it: its answer and the entry it should have left. */
    record Made(Response response, String action, String actorKind, String workspaceId, String targetKind, String targetId) {
    }

    private final Map<String, Made> walk = new LinkedHashMap<>();
    private boolean walked;
    private Throwable walkFailed;
    /** Every secret the walk sent or was answered. */
    private final List<String> secrets = new ArrayList<>();

    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1");
    }

    @Test
    void theTableHoldsEveryChangeRouteOfTheDocumentAndEveryExport() throws Exception {
        JsonNode doc = JSON.readTree(http.get("/openapi.json", null).body());
        Set<String> changes = new TreeSet<>(EXPORTS);
        changes.addAll(SIGN_INS);
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            boolean change = Set.of("post", "put", "patch", "delete").contains(op.getKey());
            boolean ingest = op.getValue().path("tags").valueStream().anyMatch(t -> INGEST_TAGS.contains(t.asText()));
            if (change && !ingest) changes.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
        }));
        assertThat(new TreeSet<>(AuditedChanges.BY_ROUTE.keySet())).isEqualTo(changes);
        assertThat(server.routes()).containsAll(AuditedChanges.BY_ROUTE.keySet());
        changes.removeAll(SIGN_INS);
        assertThat(walk().keySet()).as("the walk below calls each").containsExactlyInAnyOrderElementsOf(changes);
    }

    @Test
    void everyAuditedCallLeavesItsEntry() throws Exception {
        List<AuditEntry> log = server.store().audit().search(AuditQuery.latest(AuditQuery.MAX_LIMIT)).items();
        walk().forEach((route, made) -> {
            String requestId = made.response().header("Request-Id");
            assertThat(log).as(route + " leaves one entry under its request id " + requestId)
                    .filteredOn(e -> requestId.equals(e.requestId())).singleElement().satisfies(e -> {
                        assertThat(e.action()).as(route).isEqualTo(made.action());
                        assertThat(e.actor().kind().wireName()).as(route).isEqualTo(made.actorKind());
                        assertThat(e.clientAddress()).as(route).isEqualTo(FORWARDED_FOR);
                        assertThat(e.workspaceId()).as(route).isEqualTo(made.workspaceId());
                        if (made.targetKind() == null) {
                            assertThat(e.target()).as(route).isNull();
                        } else {
                            assertThat(e.target()).as(route).isNotNull();
                            assertThat(e.target().kind()).as(route).isEqualTo(made.targetKind());
                            assertThat(e.target().id()).as(route).isEqualTo(made.targetId());
                        }
                    });
        });
    }

    @Test
    void noSecretIsAnywhereInTheLog() throws Exception {
        walk();
        Response all = http.get("/admin/v1/audit-log?limit=500", ADMIN);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(list(all.json().get("data"))).hasSizeGreaterThanOrEqualTo(walk.size());
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(8).allSatisfy(s -> assertThat(s).hasSizeGreaterThan(7));
        for (String secret : secrets) assertThat(all.body()).as("the log holds no secret").doesNotContain(secret);
        // what a secret field was set is said by its name
        Map<String, Object> created = entry("destination.created", "meta");
        assertThat(map(created.get("detail")).get("fields").toString()).contains("settings.access_token");
    }

    /** The newest entry of {@code action} whose detail names {@code type}, as the API answers it. */
    private Map<String, Object> entry(String action, String type) {
        Response r = http.get("/admin/v1/audit-log?action=" + action + "&limit=500", ADMIN);
        return list(r.json().get("data")).stream().filter(e -> type.equals(map(e.get("detail")).get("type")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + action + " of a " + type + " in " + r.body()));
    }

    @Test
    void readsRefusalsAndIngestLeaveNothing() throws Exception {
        walk();
        long before = count();
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"quiet@example.com\"}");
        assertThat(http.get("/admin/v1/workspaces", ADMIN).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/events-log", ws.token()).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/reports/attribution", ws.token()).status()).isEqualTo(200);
        assertThat(http.postJson("/admin/v1/workspaces", ws.token(), "{\"name\":\"nope\"}").status()).isEqualTo(401);
        assertThat(http.postJson("/admin/v1/workspaces", ADMIN, "{\"name\":\"\"}").status()).isEqualTo(422);
        assertThat(http.delete("/admin/v1/tokens/tok_none", ADMIN).status()).isEqualTo(404);
        assertThat(count()).isEqualTo(before);
    }

    private long count() {
        return server.store().audit().search(AuditQuery.latest(AuditQuery.MAX_LIMIT)).items().size();
    }

    // --- the walk: each audited route called once, for real ---

    /** Made once for the class (the tests read what it left); a failure fails every test that needs it. */
    private synchronized Map<String, Made> walk() throws Exception {
        if (walkFailed != null) throw new AssertionError("the walk failed", walkFailed);
        if (!walked) {
            try {
                walkEveryRoute();
                walked = true;
            } catch (Exception | AssertionError e) {
                walkFailed = e;
                throw e;
            }
        }
        return walk;
    }

    private void walkEveryRoute() throws Exception {
        secrets.add(ADMIN);
        CreatedWorkspace main = server.createWorkspace("audited");
        String ws = main.workspace().id();
        String token = main.token().secret();
        String tokenId = main.token().token().id();
        secrets.add(token);
        CreatedWorkspace quiet = server.createWorkspace("audited-destinations"); // no events: nothing is sent anywhere
        String qws = quiet.workspace().id();

        Response created = step("POST /admin/v1/workspaces", ADMIN, "{\"name\":\"audited-new\"}", "workspace.created",
                null, "workspace", r -> (String) r.json().get("id"));
        secrets.add((String) map(created.json().get("token")).get("token"));
        Response newToken = step("POST /admin/v1/workspaces/" + ws + "/tokens", ADMIN, "{\"name\":\"ci\",\"scopes\":[\"read\"]}",
                "token.created", ws, "token", r -> (String) r.json().get("id"));
        secrets.add((String) newToken.json().get("token"));
        String newTokenId = (String) newToken.json().get("id");
        call("DELETE /admin/v1/tokens/" + newTokenId, ADMIN, null, "token.revoked", ws, "token", newTokenId);
        Response funnel = step("POST /admin/v1/workspaces/" + ws + "/funnels", ADMIN, "{\"name\":\"webinar\"}",
                "funnel.created", ws, "funnel", r -> (String) r.json().get("id"));
        String funnelId = (String) funnel.json().get("id");
        call("DELETE /admin/v1/funnels/" + funnelId, ADMIN, null, "funnel.revoked", ws, "funnel", funnelId);
        call("PUT /admin/v1/workspaces/" + ws + "/settings", ADMIN, "{\"currency\":\"EUR\"}", "settings.changed", ws, null, null);
        call("PUT /admin/v1/workspaces/" + ws + "/pixel", ADMIN, "{\"allowed_origins\":[\"https://shop.example\"]}",
                "settings.changed", ws, null, null);
        call("PUT /admin/v1/workspaces/" + ws + "/attribution", ADMIN, "{\"lookback_days\":14}", "settings.changed", ws, null, null);
        call("PUT /admin/v1/workspaces/" + ws + "/identity-guardrails", ADMIN, "{}", "settings.changed", ws, null, null);
        made("POST /admin/v1/workspaces/{workspace}/ad-spend", send("POST", "/admin/v1/workspaces/" + ws + "/ad-spend", ADMIN,
                "text/csv", "date,platform,campaign,spend,currency\n2026-03-01,meta,spring,12.50,EUR\n", Map.of()),
                "ad_spend.imported", "administrator", ws, null, null);
        step("POST /admin/v1/workspaces/" + ws + "/test-events", ADMIN, "{}", "test_event.sent", ws, "event",
                r -> (String) r.json().get("event_id"));

        String metaToken = "EAAB-meta-access-token-for-audit";
        String newMetaToken = "EAAB-meta-access-token-rotated";
        String webhookSecret = "whsec-given-by-the-administrator";
        secrets.addAll(List.of(metaToken, newMetaToken, webhookSecret));
        Response meta = step("POST /admin/v1/workspaces/" + qws + "/destinations", ADMIN, json(Map.of("type", "meta",
                "name", "Meta", "settings", Map.of("pixel_id", "123", "access_token", metaToken),
                "base_url", "http://127.0.0.1:1")), "destination.created", qws, "destination", r -> (String) r.json().get("id"));
        String metaId = (String) meta.json().get("id");
        Response hook = send("POST", "/admin/v1/workspaces/" + qws + "/destinations", ADMIN, "application/json",
                json(Map.of("type", "webhook", "name", "Hook", "settings", Map.of("url", "https://hooks.example.com/tp"),
                        "enabled", false)), Map.of());
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        secrets.add((String) hook.json().get("webhook_secret"));
        Response given = send("POST", "/admin/v1/workspaces/" + qws + "/destinations", ADMIN, "application/json",
                json(Map.of("type", "webhook", "name", "Hook 2", "settings", Map.of("url", "https://hooks.example.com/tp2",
                        "secret", webhookSecret), "enabled", false)), Map.of());
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        call("PATCH /admin/v1/destinations/" + metaId, ADMIN, json(Map.of("name", "Meta shop", "settings",
                Map.of("access_token", newMetaToken))), "destination.updated", qws, "destination", metaId);
        call("POST /admin/v1/destinations/" + metaId + "/replay", ADMIN, "{\"status\":\"dead\"}", "destination.replayed",
                qws, "destination", metaId);
        call("POST /admin/v1/destinations/" + metaId + "/test", ADMIN, "{\"test_event_code\":\"TEST123\"}",
                "destination.tested", qws, "destination", metaId);
        call("DELETE /admin/v1/destinations/" + metaId, ADMIN, null, "destination.deleted", qws, "destination", metaId);

        String adsToken = "EAAB-meta-ads-token-for-audit";
        secrets.add(adsToken);
        String adAccounts = "/admin/v1/workspaces/" + qws + "/ad-accounts";
        Response ads = step("POST " + adAccounts, ADMIN, json(Map.of("platform", "meta", "name", "Meta ads", "account_id",
                "act_123", "settings", Map.of("access_token", adsToken))), "ad_account.created", qws, "ad_account",
                r -> (String) r.json().get("id"));
        String adsId = (String) ads.json().get("id");
        call("PATCH " + adAccounts + "/" + adsId, ADMIN, json(Map.of("name", "Meta ads EU")), "ad_account.updated", qws,
                "ad_account", adsId);
        call("POST " + adAccounts + "/" + adsId + "/sync", ADMIN, "{\"from\":\"2026-03-01\",\"to\":\"2026-03-01\"}",
                "ad_account.synced", qws, "ad_account", adsId);
        call("DELETE " + adAccounts + "/" + adsId, ADMIN, null, "ad_account.deleted", qws, "ad_account", adsId);

        setAside(main);
        made("POST /admin/v1/set-aside/{eventId}/retry", send("POST", "/admin/v1/set-aside/evt_audit_poison/retry", ADMIN,
                null, "", Map.of()), "set_aside.retry_failed", "administrator", ws, "event", "evt_audit_poison");

        // a person's data, with the workspace's own token: a merge to undo, an export, a report, an erasure
        sendEvent(new Ws(ws, "audited", token), "{\"event_name\":\"view_content\",\"comet_token\":\"A\",\"email\":\"ann@shop.io\"}");
        sendEvent(new Ws(ws, "audited", token), "{\"event_name\":\"view_content\",\"comet_token\":\"B\",\"phone\":\"+14155550123\"}");
        awaitProcessed();
        sendEvent(new Ws(ws, "audited", token), "{\"event_name\":\"lead_generated\",\"comet_token\":\"B\",\"email\":\"ann@shop.io\"}");
        awaitProcessed();
        Map<String, Object> profile = profileByIdentifier(new Ws(ws, "audited", token), "visitor_token:B");
        String profileId = (String) profile.get("id");
        Object mergeId = list(profile.get("merges")).get(0).get("id");
        call("POST /api/v1/profiles/" + profileId + "/unmerge", token, "{\"merge_id\":" + mergeId + "}",
                "profile.unmerged", ws, "profile", profileId);
        call("POST /api/v1/reports/attribution/recompute?from=2026-03-01&to=2026-03-02", token, null, "report.recomputed",
                ws, null, null);
        made("GET /api/v1/profiles/{id}/export", send("GET", "/api/v1/profiles/" + profileId + "/export", token, null, null,
                Map.of()), "export.profile", "token", ws, "profile", profileId);
        made("GET /api/v1/reports/attribution", send("GET", "/api/v1/reports/attribution?format=csv&group_by=source", token,
                null, null, Map.of()), "export.report_csv", "token", ws, null, null);
        made("GET /api/v1/events-log", send("GET", "/api/v1/events-log?format=csv&event_name=purchase", token, null, null,
                Map.of()), "export.events_log_csv", "token", ws, null, null);
        Response view = step("POST /api/v1/saved-views", token, "{\"page\":\"attribution\",\"name\":\"Weekly\","
                + "\"query\":\"group_by=campaign\"}", "view.saved", ws, "view", r -> (String) map(r.json().get("data")).get("id"));
        String viewId = (String) map(view.json().get("data")).get("id");
        call("DELETE /api/v1/saved-views/" + viewId, token, null, "view.deleted", ws, "view", viewId);
        call("DELETE /api/v1/profiles/" + profileId + "?workspace=" + ws, ADMIN, null, "erasure.requested", ws, "profile", profileId);

        // a scheduled export: made, run now, removed
        Response export = step("POST /admin/v1/workspaces/" + ws + "/exports", ADMIN, json(Map.of("name", "daily log",
                "what", "events_log", "folder", "audited", "hour", 6)), "export.schedule_created", ws,
                "export", r -> (String) r.json().get("id"));
        String exportId = (String) export.json().get("id");
        call("POST /admin/v1/workspaces/" + ws + "/exports/" + exportId + "/run", ADMIN, null, "export.run", ws, "export", exportId);
        call("DELETE /admin/v1/workspaces/" + ws + "/exports/" + exportId, ADMIN, null, "export.schedule_deleted", ws, "export", exportId);

        // a user invited, their invitation accepted, their access changed, and removed
        Response invited = step("POST /admin/v1/users", ADMIN, "{\"email\":\"ana@audited.example\",\"role\":\"analyst\","
                + "\"workspaces\":[\"" + ws + "\"]}", "user.invited", null, "user", r -> (String) r.json().get("id"));
        String userId = (String) invited.json().get("id");
        String inviteUrl = (String) invited.json().get("invite_url");
        String inviteToken = inviteUrl.substring(inviteUrl.lastIndexOf('/') + 1);
        String password = "correct horse battery staple";
        secrets.addAll(List.of(inviteToken, password));
        made("POST /admin/v1/invites/{token}", send("POST", "/admin/v1/invites/" + inviteToken, null, "application/json",
                json(Map.of("password", password)), Map.of()), "user.password_set", "user", null, "user", userId);
        call("PATCH /admin/v1/users/" + userId, ADMIN, "{\"role\":\"admin\"}", "user.changed", null, "user", userId);
        call("DELETE /admin/v1/users/" + userId, ADMIN, null, "user.removed", null, "user", userId);

        // the dashboard's session: a refused sign-in, a sign-in, a sign-out
        Response refused = send("POST", "/admin/v1/session", null, "application/json",
                "{\"admin_token\":\"tpa_not_the_administrator_token\"}", Map.of());
        assertThat(refused.status()).isEqualTo(401);
        Response signedIn = made("POST /admin/v1/session", send("POST", "/admin/v1/session", null, "application/json",
                json(Map.of("admin_token", ADMIN)), Map.of()), "session.signed_in", "administrator", null, null, null).response();
        String cookie = signedIn.header("Set-Cookie").split(";")[0];
        String csrf = (String) signedIn.json().get("csrf_token");
        secrets.addAll(List.of(cookie.substring(cookie.indexOf('=') + 1), csrf));
        made("DELETE /admin/v1/session", send("DELETE", "/admin/v1/session", null, null, null,
                Map.of("Cookie", cookie, "X-CSRF-Token", csrf)), "session.signed_out", "administrator", null, null, null);
        List<AuditEntry> failed = server.store().audit().search(new AuditQuery(null, null, null, null,
                "session.sign_in_failed", null, null, 10)).items();
        assertThat(failed).singleElement().satisfies(e -> {
            assertThat(e.requestId()).isEqualTo(refused.header("Request-Id"));
            assertThat(e.clientAddress()).isEqualTo(FORWARDED_FOR);
        });
        assertThat(server.store().audit().search(new AuditQuery(null, null, Actor.Kind.TOKEN, tokenId, null, null,
                null, 50)).items()).extracting(AuditEntry::action)
                .contains("profile.unmerged", "report.recomputed", "export.profile", "export.report_csv", "export.events_log_csv");
    }

    /** A call whose target id is read from its answer. */
    private Response step(String call, String token, String body, String action, String workspace, String targetKind,
                          java.util.function.Function<Response, String> targetId) {
        String[] parts = call.split(" ", 2);
        Response r = send(parts[0], parts[1], token, body == null ? null : "application/json", body, Map.of());
        made(route(parts[0], parts[1]), r, action, token.equals(ADMIN) ? "administrator" : "token",
                workspace == null && "workspace".equals(targetKind) ? targetId.apply(r) : workspace, targetKind, targetId.apply(r));
        return r;
    }

    private Made call(String call, String token, String body, String action, String workspace, String targetKind,
                      String targetId) {
        String[] parts = call.split(" ", 2);
        Response r = send(parts[0], parts[1], token, body == null ? null : "application/json", body, Map.of());
        return made(route(parts[0], parts[1]), r, action, token.equals(ADMIN) ? "administrator" : "token", workspace,
                targetKind, targetId);
    }

    private Made made(String route, Response r, String action, String actorKind, String workspace, String targetKind,
                      String targetId) {
        assertThat(r.status()).as(route + ": " + r.body()).isIn(200, 201, 202, 204, 409);
        Made m = new Made(r, action, actorKind, workspace, targetKind, targetId);
        walk.put(route, m);
        return m;
    }

    /** The route a concrete path was made from: the audited route whose template it fits. */
    private static String route(String method, String path) {
        String[] segments = path.split("\\?")[0].split("/");
        return AuditedChanges.BY_ROUTE.keySet().stream().filter(r -> {
            String[] t = r.split(" ", 2);
            String[] template = t[1].split("/");
            if (!t[0].equals(method) || template.length != segments.length) return false;
            for (int i = 0; i < template.length; i++) {
                if (!template[i].startsWith("{") && !template[i].equals(segments[i])) return false;
            }
            return true;
        }).findFirst().orElseThrow(() -> new AssertionError("no audited route fits " + method + " " + path));
    }

    private Response send(String method, String path, String token, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = http.request(path).header("X-Forwarded-For", FORWARDED_FOR)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        headers.forEach(b::header);
        return http.send(b.build());
    }

    /** An event the identity stage cannot read (its stored body is broken), which it sets aside. */
    private void setAside(CreatedWorkspace w) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("touchpoint.db"))) {
            c.createStatement().execute("PRAGMA busy_timeout = 10000");
            sql(c, "INSERT INTO events (id, workspace_id, source, request_id, received_at, event_time, name, body)"
                    + " VALUES ('evt_audit_poison', ?, 'cometly', 'req_audit_poison', ?, ?, 'purchase', 'not json')",
                    w.workspace().id(), now, now);
        }
        Supplier<Boolean> setAside = () -> !server.store().setAside().of(null, "evt_audit_poison").isEmpty();
        long until = System.nanoTime() + 20_000_000_000L;
        while (!setAside.get() && System.nanoTime() < until) Thread.sleep(50);
        assertThat(setAside.get()).as("the broken event is set aside").isTrue();
    }

    private static void sql(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.executeUpdate();
        }
    }
}
