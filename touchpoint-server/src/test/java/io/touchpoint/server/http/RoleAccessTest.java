package io.touchpoint.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.SignedIn;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the OpenAPI document, called with the dashboard session of each role (an owner, an admin and an
 * analyst of one workspace, a user of another workspace only, and an owner of every workspace), answers as the table
 * below says: allowed (anything but 401 and 403) or refused with 403. Routes a session grants nothing on answer the
 * same with the cookie as without it. A route the document gains without a line here fails the test.
 */
class RoleAccessTest extends ServerTest {
    /** Who may call a route with a dashboard session. */
    enum Needs {
        /** any role in the workspace: analysts read */
        ANALYST,
        /** an admin or owner of the workspace */
        ADMIN,
        /** an owner of every workspace (creating workspaces, managing users) */
        OWNER_OF_ALL,
        /** anyone signed in, whatever their workspaces */
        SIGNED_IN,
        /** the session grants nothing: ingest, the pixel, public documents, signing in */
        NO_SESSION
    }

    static final Map<String, Needs> TABLE = new TreeMap<>();

    static {
        for (String r : List.of("POST /public-api/v1/events", "POST /public-api/v1/events/track",
                "POST /public-api/v1/events/batch", "POST /uip-events/event", "POST /webhooks/able", "GET /healthz",
                "GET /readyz", "GET /metrics", "GET /openapi.json", "GET /docs/errors", "GET /pixel/{pixelKey}.js",
                "POST /collect", "GET /t/a.js", "POST /t/e", "POST /admin/v1/session", "POST /admin/v1/invites/{token}",
                "GET /admin/v1/sso", "GET /admin/v1/sso/start", "GET /admin/v1/sso/callback")) {
            TABLE.put(r, Needs.NO_SESSION);
        }
        for (String r : List.of("GET /api/v1/events-log", "GET /api/v1/events-log/{requestId}", "GET /api/v1/profiles",
                "GET /api/v1/profiles/{id}", "GET /api/v1/profiles/{id}/journey", "GET /api/v1/reports/attribution",
                "GET /api/v1/reports/paths", "GET /api/v1/reports/traffic",
                "GET /api/v1/conversions/{eventId}/attribution", "GET /api/v1/recognition",
                "GET /admin/v1/workspaces/{workspace}/ad-accounts", "GET /admin/v1/workspaces/{workspace}/ad-accounts/{id}",
                "GET /api/v1/reports/attribution/conversions", "GET /api/v1/saved-views", "POST /api/v1/saved-views",
                "DELETE /api/v1/saved-views/{viewId}")) {
            TABLE.put(r, Needs.ANALYST);
        }
        for (String r : List.of("GET /admin/v1/workspaces", "GET /admin/v1/session", "DELETE /admin/v1/session")) {
            TABLE.put(r, Needs.SIGNED_IN);
        }
        for (String r : List.of("POST /admin/v1/workspaces", "GET /admin/v1/users", "POST /admin/v1/users",
                "PATCH /admin/v1/users/{id}", "DELETE /admin/v1/users/{id}", "GET /admin/v1/audit-log")) {
            TABLE.put(r, Needs.OWNER_OF_ALL);
        }
        for (String r : List.of("DELETE /api/v1/profiles/{id}", "POST /api/v1/profiles/{id}/unmerge",
                "GET /api/v1/profiles/{id}/export", "POST /api/v1/reports/attribution/recompute",
                "GET /admin/v1/workspaces/{workspace}/tokens", "POST /admin/v1/workspaces/{workspace}/tokens",
                "DELETE /admin/v1/tokens/{tokenId}", "GET /admin/v1/workspaces/{workspace}/funnels",
                "POST /admin/v1/workspaces/{workspace}/funnels", "DELETE /admin/v1/funnels/{funnelId}",
                "GET /admin/v1/workspaces/{workspace}/pixel", "PUT /admin/v1/workspaces/{workspace}/pixel",
                "GET /admin/v1/workspaces/{workspace}/identity-guardrails",
                "PUT /admin/v1/workspaces/{workspace}/identity-guardrails",
                "GET /admin/v1/workspaces/{workspace}/attribution", "PUT /admin/v1/workspaces/{workspace}/attribution",
                "GET /admin/v1/workspaces/{workspace}/ad-spend", "POST /admin/v1/workspaces/{workspace}/ad-spend",
                "GET /admin/v1/workspaces/{workspace}/settings", "PUT /admin/v1/workspaces/{workspace}/settings",
                "POST /admin/v1/workspaces/{workspace}/test-events", "GET /admin/v1/workspaces/{workspace}/destinations",
                "POST /admin/v1/workspaces/{workspace}/destinations", "GET /admin/v1/destinations/{id}",
                "PATCH /admin/v1/destinations/{id}", "DELETE /admin/v1/destinations/{id}",
                "POST /admin/v1/destinations/{id}/replay", "POST /admin/v1/destinations/{id}/test",
                "GET /admin/v1/destinations/{id}/deliveries", "GET /admin/v1/destinations/{id}/deliveries/{outboxId}/attempts",
                "GET /admin/v1/set-aside", "POST /admin/v1/set-aside/{eventId}/retry",
                "GET /admin/v1/workspaces/{workspace}/exports", "POST /admin/v1/workspaces/{workspace}/exports",
                "GET /admin/v1/workspaces/{workspace}/exports/{id}", "DELETE /admin/v1/workspaces/{workspace}/exports/{id}",
                "POST /admin/v1/workspaces/{workspace}/exports/{id}/run",
                "POST /admin/v1/workspaces/{workspace}/ad-accounts", "PATCH /admin/v1/workspaces/{workspace}/ad-accounts/{id}",
                "DELETE /admin/v1/workspaces/{workspace}/ad-accounts/{id}",
                "POST /admin/v1/workspaces/{workspace}/ad-accounts/{id}/sync")) {
            TABLE.put(r, Needs.ADMIN);
        }
    }

    /** A caller: its session, and whether it may do what each kind of route needs. */
    record Caller(String name, SignedIn session, List<Needs> allowed) {
    }

    private JsonNode doc;
    private Ws ws;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<Caller> callers = new ArrayList<>();

    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32");
    }

    @BeforeAll
    void fixtures() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        ws = newWorkspace();
        Ws other = newWorkspace();
        String destination = (String) http.postJson("/admin/v1/workspaces/" + ws.id() + "/destinations", TestServer.ADMIN_TOKEN,
                json(Map.of("type", "webhook", "name", "roles", "settings", Map.of("url", "https://hooks.example.com/roles"))))
                .json().get("id");
        String eventId = sendEvent(ws, Payloads.MINIMUM);
        awaitProcessed();
        server.store().setAside().failedAgain(eventId, SetAsideStore.Stage.DELIVERY, "set aside for the role test");
        params.put("workspace", ws.id());
        params.put("tokenId", server.workspaces().tokens(ws.id()).get(0).id());
        params.put("funnelId", server.workspaces().createFunnel(ws.id(), "roles").id());
        params.put("pixelKey", server.workspaces().require(ws.id()).pixelKey());
        params.put("requestId", "req_none");
        params.put("eventId", eventId);
        params.put("outboxId", "1");
        params.put("viewId", "view_none");
        params.put("token", "tpi_none");
        params.put("destination", destination);
        params.put("user", server.store().users().byId(SignedIn.user(http, "victim@example.com", "analyst", List.of(ws.id()))
                .userId()).orElseThrow().id());

        callers.add(new Caller("user of another workspace", SignedIn.user(http, "elsewhere@example.com", "owner",
                List.of(other.id())), List.of(Needs.SIGNED_IN)));
        callers.add(new Caller("analyst", SignedIn.user(http, "analyst@example.com", "analyst", List.of(ws.id())),
                List.of(Needs.SIGNED_IN, Needs.ANALYST)));
        callers.add(new Caller("admin", SignedIn.user(http, "admin@example.com", "admin", List.of(ws.id())),
                List.of(Needs.SIGNED_IN, Needs.ANALYST, Needs.ADMIN)));
        callers.add(new Caller("owner", SignedIn.user(http, "owner@example.com", "owner", List.of(ws.id())),
                List.of(Needs.SIGNED_IN, Needs.ANALYST, Needs.ADMIN)));
        callers.add(new Caller("owner of every workspace", SignedIn.user(http, "all@example.com", "owner", "all"),
                List.of(Needs.SIGNED_IN, Needs.ANALYST, Needs.ADMIN, Needs.OWNER_OF_ALL)));
    }

    @Test
    void theTableNamesEveryDocumentedRoute() {
        assertThat(new TreeSet<>(TABLE.keySet())).isEqualTo(new TreeSet<>(operations().keySet()));
    }

    @Test
    void everyRouteAnswersEachRoleAsTheTableSays() {
        List<String> wrong = new ArrayList<>();
        List<String> routes = new ArrayList<>(operations().keySet());
        // signing out ends the session the later routes need, and a destination deleted is gone for the next caller
        routes.sort(Comparator.comparing((String r) -> r.equals("DELETE /admin/v1/session"))
                .thenComparing(r -> r.startsWith("DELETE")));
        for (String route : routes) {
            Needs needs = TABLE.get(route);
            assertThat(needs).as("a line in the table for " + route).isNotNull();
            String method = route.substring(0, route.indexOf(' '));
            String path = url(route, operations().get(route));
            String body = operations().get(route).has("requestBody") ? "{}" : null;
            Integer anonymous = needs == Needs.NO_SESSION ? request(null, method, path, body).status() : null;
            for (Caller c : callers) {
                int status = request(c.session(), method, path, body).status();
                boolean allowed = status != 401 && status != 403;
                String expected;
                boolean ok;
                if (needs == Needs.NO_SESSION) {
                    expected = "the same as without a session (" + anonymous + ")";
                    ok = status == anonymous;
                } else if (c.allowed().contains(needs)) {
                    expected = "allowed";
                    ok = allowed;
                } else {
                    expected = "403";
                    ok = status == 403;
                }
                if (!ok) wrong.add(route + " as " + c.name() + ": " + status + ", expected " + expected);
            }
        }
        assertThat(wrong).isEmpty();
    }

    private Response request(SignedIn s, String method, String path, String body) {
        if (s != null) return s.send(method, path, body);
        var b = http.request(path);
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The route's path with its parameters filled from the fixtures, and its workspace and required query parameters. */
    private String url(String route, JsonNode op) {
        String path = route.substring(route.indexOf(' ') + 1);
        String id = path.startsWith("/admin/v1/users/") ? params.get("user")
                : path.startsWith("/admin/v1/destinations/") ? params.get("destination") : "prof_none";
        path = path.replace("{id}", id);
        for (var e : params.entrySet()) path = path.replace("{" + e.getKey() + "}", e.getValue());
        List<String> query = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            JsonNode param = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
            if (!param.path("in").asText().equals("query")) continue;
            String name = param.path("name").asText();
            if (name.equals("workspace")) query.add("workspace=" + ws.id());
            else if (name.equals("key") && param.path("required").asBoolean()) query.add("key=" + params.get("pixelKey"));
            else if (name.equals("identifier")) query.add("identifier=" + URLEncoder.encode("email:a@example.com", StandardCharsets.UTF_8));
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> ops = new TreeMap<>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            if (List.of("get", "post", "put", "patch", "delete").contains(m.getKey())) {
                ops.put(m.getKey().toUpperCase() + " " + p.getKey(), m.getValue());
            }
        }));
        return ops;
    }
}
