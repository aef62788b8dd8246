package io.touchpoint.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.ingest.AbleEventTypes;
import io.touchpoint.core.ingest.EventNames;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Scope;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps /openapi.json true to the server: it is fetched from the real server over HTTP and compared with the
 * routes the server registers, with the Cometly and Able mappers' fields, and with real answers of the real endpoints.
 * No JSON-schema validator is on the classpath, so answers are checked structurally: every status must be
 * documented for its operation, required headers present, and every key of a JSON answer a documented
 * property (recursively), with every required property present.
 */
class OpenApiDocumentTest {
    /** Benchmark-only: the HTTP stack's own ceiling, deliberately left out of the API description. */
    private static final String BENCHMARK_ROUTE = "GET /noop";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final String SEED = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\","
            + "\"comet_token\":\"ddffd8d8338383883838484843838388d8df8f\",\"fingerprint\":\"abcdef1234567890\","
            + "\"first_name\":\"John\",\"last_name\":\"Smith\",\"ip\":\"123.123.123.123\",\"amount\":34,"
            + "\"user_agent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/16.1 Safari/605.1.15\",\"event_time\":1677093110}";
    /** The Able seed's purchase example (its copy lost braces and quotes), with the seed's funnel-mark placeholder. */
    private static final String ABLE_SEED = "{\"funnel_mark\":\"%%FUNNEL_MARK%%\",\"event_type\":\"Purchase\","
            + "\"resource\":{\"deal_value\":10,\"deal_currency\":\"USD\",\"deal_items\":[{\"name\":\"File download\","
            + "\"price\":5,\"qty\":2,\"sku\":\"DL1\",\"category\":\"High-speed\"}],"
            + "\"keys\":{\"email\":\"\",\"client_id\":\"12354\"}}}";
    private static final List<String> ABLE_PATHS = List.of("/uip-events/event", "/webhooks/able");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestServer server;
    static HttpTestClient http;
    static JsonNode doc;
    static String token;
    static String workspaceId;
    /** The mark of a live funnel of the token's workspace. */
    static String mark;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        http = server.http;
        CreatedWorkspace w = server.createWorkspace("openapi-test");
        token = w.token().secret();
        workspaceId = w.workspace().id();
        mark = server.workspaces().createFunnel(workspaceId, "openapi").mark();
        HttpTestClient.Response r = http.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        doc = JSON.readTree(r.body());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void isOpenApi31() {
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isEqualTo("0.1.0");
        assertThat(doc.path("servers").path(0).path("url").asText()).isEqualTo("http://127.0.0.1:8080");
        assertThat(doc.path("components").path("securitySchemes").has("apiToken")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("adminToken")).isTrue();
    }

    @Test
    void documentsExactlyTheRegisteredRoutes() {
        Set<String> registered = new TreeSet<>(server.routes());
        assertThat(registered).hasSize(server.routes().size()); // no route registered twice
        registered.remove(BENCHMARK_ROUTE);
        registered.removeIf(io.touchpoint.server.dashboard.DashboardRoutes::serves); // pages for people, not API
        Set<String> documented = new TreeSet<>(operations().keySet());
        assertThat(documented).as("documented operations").isEqualTo(registered);
    }

    @Test
    void everyOperationHasA2xxAndEveryResponseDocumentsRequestId() {
        operations().forEach((route, op) -> {
            JsonNode responses = op.path("responses");
            List<String> statuses = new ArrayList<>();
            responses.fieldNames().forEachRemaining(statuses::add);
            assertThat(statuses).as(route + " has a 2xx response").anyMatch(s -> s.matches("2\\d\\d"));
            responses.properties().forEach(e -> {
                JsonNode headers = resolve(e.getValue()).path("headers");
                assertThat(headers.has("Request-Id")).as(route + " " + e.getKey() + " documents Request-Id").isTrue();
                assertThat(resolve(headers.path("Request-Id")).path("schema").isMissingNode())
                        .as(route + " " + e.getKey() + " Request-Id has a schema").isFalse();
            });
            assertThat(op.has("security")).as(route + " states its security").isTrue();
            assertThat(op.path("operationId").asText()).as(route + " has an operationId").isNotBlank();
        });
    }

    @Test
    void everyRefResolvesInsideTheDocument() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).as("local $ref").startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("$ref " + ref + " resolves").isFalse();
        }
    }

    @Test
    void seedExampleIsAcceptedByTheRealServer() throws Exception {
        JsonNode seed = resolve(doc.at("/components/examples/seedPayload")).path("value");
        assertThat(seed).as("the seed's payload, unchanged").isEqualTo(JSON.readTree(SEED));
        for (String path : List.of("/public-api/v1/events", "/public-api/v1/events/track")) {
            JsonNode examples = resolve(operation("post", path).path("requestBody"))
                    .path("content").path("application/json").path("examples");
            assertThat(examples.findValuesAsText("$ref")).as(path + " offers the seed example")
                    .contains("#/components/examples/seedPayload");
            HttpTestClient.Response r = http.postJson(path, token, JSON.writeValueAsString(seed));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json()).doesNotContainKey("warnings");
            assertDocumented("post", path, r);
        }
    }

    @Test
    void everyIngestRequestExampleIsAccepted() throws Exception {
        for (String path : List.of("/public-api/v1/events", "/public-api/v1/events/track", "/public-api/v1/events/batch")) {
            forEachExample(operation("post", path), example -> {
                HttpTestClient.Response r = http.postJson(path, token, text(example));
                assertThat(r.status()).as(path + " " + r.body()).isBetween(200, 299);
                assertDocumented("post", path, r);
                if (path.endsWith("/batch")) {
                    assertThat((List<?>) r.json().get("results")).hasSize(example.path("events").size());
                } else {
                    assertThat(r.json()).as("every field of the example is known").doesNotContainKey("warnings");
                }
            });
        }
    }

    @Test
    void ableSeedExampleIsAcceptedByTheRealServer() throws Exception {
        JsonNode seed = resolve(doc.at("/components/examples/ableSeedPayload")).path("value");
        assertThat(seed).as("the Able seed's payload, unchanged").isEqualTo(JSON.readTree(ABLE_SEED));
        for (String path : ABLE_PATHS) {
            JsonNode examples = resolve(operation("post", path).path("requestBody"))
                    .path("content").path("application/json").path("examples");
            assertThat(examples.findValuesAsText("$ref")).as(path + " offers the Able seed example")
                    .contains("#/components/examples/ableSeedPayload");
            HttpTestClient.Response r = http.postJson(path, null, withMark(seed, mark));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json()).doesNotContainKey("warnings");
            assertDocumented("post", path, r);
        }
    }

    @Test
    void everyAbleRequestExampleIsAccepted() {
        for (String path : ABLE_PATHS) {
            forEachExample(operation("post", path), example -> {
                assertThat(example.path("funnel_mark").asText()).as("the seed's placeholder").isEqualTo("%%FUNNEL_MARK%%");
                HttpTestClient.Response r = http.postJson(path, null, withMark(example, mark));
                assertThat(r.status()).as(path + " " + r.body()).isEqualTo(202);
                assertDocumented("post", path, r);
                assertThat(r.json()).as("every field of the example is known").doesNotContainKey("warnings");
            });
        }
    }

    @Test
    void adminRequestExamplesWork() {
        forEachExample(operation("post", "/admin/v1/workspaces"), example -> {
            HttpTestClient.Response r = http.postJson("/admin/v1/workspaces", TestServer.ADMIN_TOKEN, text(example));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertDocumented("post", "/admin/v1/workspaces", r);
            String workspace = (String) r.json().get("name");
            String tokens = "/admin/v1/workspaces/{workspace}/tokens";
            forEachExample(operation("post", tokens), t -> {
                HttpTestClient.Response c = http.postJson(tokens.replace("{workspace}", workspace),
                        TestServer.ADMIN_TOKEN, text(t));
                assertThat(c.status()).as(c.body()).isEqualTo(201);
                assertDocumented("post", tokens, c);
            });
            String funnels = "/admin/v1/workspaces/{workspace}/funnels";
            forEachExample(operation("post", funnels), f -> {
                HttpTestClient.Response c = http.postJson(funnels.replace("{workspace}", workspace),
                        TestServer.ADMIN_TOKEN, text(f));
                assertThat(c.status()).as(c.body()).isEqualTo(201);
                assertDocumented("post", funnels, c);
            });
        });
    }

    @Test
    void cometlyEventSchemaHasExactlyTheMappersFields() throws Exception {
        JsonNode schema = doc.at("/components/schemas/CometlyEvent");
        Set<String> documented = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(documented::add);
        Field known = Class.forName("io.touchpoint.core.ingest.CometlyMapper").getDeclaredField("KNOWN_FIELDS");
        known.setAccessible(true);
        @SuppressWarnings("unchecked") Set<String> fields = (Set<String>) known.get(null);
        assertThat(documented).isEqualTo(new TreeSet<>(fields));
        assertThat(texts(schema.path("required"))).containsExactly("event_name");

        List<String> names = new ArrayList<>(EventNames.STANDARD);
        for (int i = 1; i <= EventNames.CUSTOM_EVENT_COUNT; i++) names.add("custom_event_" + i);
        assertThat(texts(doc.at("/components/schemas/EventName/enum"))).containsExactlyElementsOf(names);
    }

    @Test
    void ableEventSchemaHasExactlyTheMappersFields() throws Exception {
        Set<String> topFields = ableMapperField("TOP_FIELDS");
        Set<String> resourceFields = ableMapperField("RESOURCE_FIELDS");
        Map<String, ?> mapperKeys = ableMapperField("KEYS");
        JsonNode event = doc.at("/components/schemas/AbleEvent");
        assertThat(names(event.path("properties"))).isEqualTo(topFields);
        assertThat(texts(event.path("required"))).containsExactly("funnel_mark", "event_type", "resource");

        JsonNode resource = resolve(event.path("properties").path("resource"));
        assertThat(names(resource.path("properties"))).as("resource properties")
                .isEqualTo(resourceFields);
        assertThat(texts(resource.path("required"))).containsExactly("keys");

        JsonNode keys = resolve(resource.path("properties").path("keys"));
        assertThat(new ArrayList<>(names(keys.path("properties")))).as("visitor keys, in Able's order")
                .containsExactlyElementsOf(mapperKeys.keySet());

        JsonNode item = resolve(resource.path("properties").path("deal_items").path("items"));
        assertThat(names(item.path("properties"))).containsExactlyInAnyOrder("name", "price", "qty", "sku", "category");
        assertThat(texts(item.path("required"))).containsExactly("name", "price", "qty");

        JsonNode type = resolve(event.path("properties").path("event_type"));
        assertThat(texts(type.path("enum"))).containsExactlyElementsOf(AbleEventTypes.all().keySet());
        AbleEventTypes.all().forEach((able, canonical) -> assertThat(type.path("description").asText())
                .as("the description states the table").contains("`" + able + "` → `" + canonical + "`"));
    }

    @Test
    void fieldErrorCodesAreTheCodesTheMappersUse() throws Exception {
        Set<String> codes = new TreeSet<>();
        for (Field f : FieldError.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) codes.add((String) f.get(null));
        }
        assertThat(new TreeSet<>(texts(doc.at("/components/schemas/FieldError/properties/code/enum")))).isEqualTo(codes);
    }

    /** Real answers, success and failure, of every endpoint family: each must match what the document says. */
    @Test
    void realAnswersHaveTheDocumentedShape() {
        String events = "/public-api/v1/events";
        HttpTestClient.Response seed = http.postJson(events, token, SEED);
        assertDocumented("post", events, seed);
        assertDocumented("post", events, http.postJson(events, token, "{\"event_name\":\"purchase\",\"foo\":1}"));
        assertDocumented("post", events, http.postJson(events, token, "{\"event_name\":\"Purchase\",\"amount\":-1}"));
        assertDocumented("post", events, http.postJson(events, token, "[1]"));
        assertDocumented("post", events, http.postJson(events, token, "{\"event_name\":"));
        assertDocumented("post", events, http.post(events, token, "text/plain", SEED));
        HttpTestClient.Response unauthorized = http.postJson(events, null, SEED);
        assertDocumented("post", events, unauthorized);
        assertThat(unauthorized.status()).isEqualTo(401);
        assertDocumented("post", events, http.postJson(events, "tp_not_a_token", SEED));
        String batch = "/public-api/v1/events/batch";
        assertDocumented("post", batch, http.postJson(batch, token, "{\"events\":[" + SEED + ",{\"event_name\":\"x\"},7]}"));
        assertDocumented("post", batch, http.postJson(batch, token, "{\"events\":[]}"));
        assertDocumented("post", batch, http.postJson(batch, token, "{}"));

        String log = "/api/v1/events-log";
        assertDocumented("get", log, http.get(log + "?limit=2", token));
        assertDocumented("get", log, http.get(log, TestServer.ADMIN_TOKEN));
        assertDocumented("get", log, http.get(log + "?limit=0", token));
        assertDocumented("get", log, http.get(log + "?workspace=someone-else", token));
        assertDocumented("get", log, http.get(log + "?workspace=nobody", TestServer.ADMIN_TOKEN));
        assertDocumented("get", log, http.get(log, null));
        String one = "/api/v1/events-log/{requestId}";
        HttpTestClient.Response found = http.get("/api/v1/events-log/" + seed.header("Request-Id"), token);
        assertThat(found.status()).isEqualTo(200);
        assertDocumented("get", one, found);
        assertDocumented("get", one, http.get("/api/v1/events-log/req_unknown", token));

        String admin = TestServer.ADMIN_TOKEN;
        String workspaces = "/admin/v1/workspaces";
        assertDocumented("get", workspaces, http.get(workspaces, admin));
        assertDocumented("get", workspaces, http.get(workspaces, token));
        HttpTestClient.Response created = http.postJson(workspaces, admin, "{\"name\":\"shape-check\"}");
        assertThat(created.status()).isEqualTo(201);
        assertDocumented("post", workspaces, created);
        assertDocumented("post", workspaces, http.postJson(workspaces, admin, "{\"name\":\"shape-check\"}"));
        assertDocumented("post", workspaces, http.postJson(workspaces, admin, "{\"name\":\"z\",\"time_zone\":\"Mars/Olympus\"}"));
        assertDocumented("post", workspaces, http.post(workspaces, admin, "text/plain", "name=x"));
        String tokens = "/admin/v1/workspaces/{workspace}/tokens";
        assertDocumented("get", tokens, http.get("/admin/v1/workspaces/shape-check/tokens", admin));
        assertDocumented("get", tokens, http.get("/admin/v1/workspaces/nobody/tokens", admin));
        HttpTestClient.Response newToken = http.postJson("/admin/v1/workspaces/shape-check/tokens", admin, "{}");
        assertDocumented("post", tokens, newToken);
        assertDocumented("post", tokens, http.postJson("/admin/v1/workspaces/shape-check/tokens", admin, "{\"scopes\":[\"all\"]}"));
        String revoke = "/admin/v1/tokens/{tokenId}";
        assertDocumented("delete", revoke, http.delete("/admin/v1/tokens/" + newToken.json().get("id"), admin));
        assertDocumented("delete", revoke, http.delete("/admin/v1/tokens/tok_unknown", admin));

        CreatedWorkspace other = server.createWorkspace("openapi-other");
        CreatedToken readOnly = server.workspaces().createToken(workspaceId, "read only", Set.of(Scope.READ));
        Funnel doomed = server.workspaces().createFunnel(workspaceId, "to be revoked");
        String seedText = ABLE_SEED.replace("%%FUNNEL_MARK%%", mark);
        for (String able : ABLE_PATHS) {
            assertDocumented("post", able, http.postJson(able, null, seedText));
            assertDocumented("post", able, http.postJson(able, token, seedText));
            assertDocumented("post", able, http.postJson(able, null, seedText.replace("\"12354\"", "\"12354\",\"user_id\":7")));
            assertDocumented("post", able, http.postJson(able, null, "{\"event_type\":\"Purchase\"}"));
            assertDocumented("post", able, http.postJson(able, null, seedText.replace("Purchase", "Search")));
            assertDocumented("post", able, http.postJson(able, null, seedText.replace("\"deal_currency\":\"USD\",", "")));
            assertDocumented("post", able, http.postJson(able, null, seedText.replace("\"qty\":2", "\"qty\":\"two\"")
                    .replace("\"client_id\"", "\"nope\"")));
            assertDocumented("post", able, http.postJson(able, null, "{\"funnel_mark\":\"" + mark + "\",\"event_type\":\"Lead\"}"));
            HttpTestClient.Response unknown = http.postJson(able, null, ABLE_SEED);
            assertThat(unknown.status()).isEqualTo(401);
            assertDocumented("post", able, unknown);
            assertDocumented("post", able, http.postJson(able, "tp_not_a_token", seedText));
            HttpTestClient.Response wrong = http.postJson(able, other.token().secret(), seedText);
            assertThat(wrong.status()).isEqualTo(403);
            assertDocumented("post", able, wrong);
            assertDocumented("post", able, http.postJson(able, readOnly.secret(), seedText));
            assertDocumented("post", able, http.postJson(able, null, "[" + seedText + "]"));
            assertDocumented("post", able, http.postJson(able, null, "{\"funnel_mark\":"));
            assertDocumented("post", able, http.post(able, null, "text/plain", seedText));
        }
        String funnels = "/admin/v1/workspaces/{workspace}/funnels";
        String ownFunnels = "/admin/v1/workspaces/" + workspaceId + "/funnels";
        assertDocumented("get", funnels, http.get(ownFunnels, admin));
        assertDocumented("get", funnels, http.get(ownFunnels, token));
        assertDocumented("get", funnels, http.get("/admin/v1/workspaces/nobody/funnels", admin));
        HttpTestClient.Response newFunnel = http.postJson(ownFunnels, admin, "{\"name\":\"shape-check\"}");
        assertThat(newFunnel.status()).isEqualTo(201);
        assertDocumented("post", funnels, newFunnel);
        assertDocumented("post", funnels, http.postJson(ownFunnels, admin, "{}"));
        assertDocumented("post", funnels, http.postJson("/admin/v1/workspaces/nobody/funnels", admin, "{\"name\":\"x\"}"));
        assertDocumented("post", funnels, http.postJson(ownFunnels, null, "{\"name\":\"x\"}"));
        assertDocumented("post", funnels, http.post(ownFunnels, admin, "text/plain", "name=x"));
        assertDocumented("post", funnels, http.postJson(ownFunnels, admin, "{\"name\":"));
        String revokeFunnel = "/admin/v1/funnels/{funnelId}";
        assertDocumented("delete", revokeFunnel, http.delete("/admin/v1/funnels/" + doomed.id(), admin));
        assertDocumented("delete", revokeFunnel, http.delete("/admin/v1/funnels/fn_unknown", admin));
        assertDocumented("delete", revokeFunnel, http.delete("/admin/v1/funnels/" + doomed.id(), token));
        HttpTestClient.Response revoked = http.postJson(ABLE_PATHS.get(0), null,
                ABLE_SEED.replace("%%FUNNEL_MARK%%", doomed.mark()));
        assertThat(revoked.error()).containsEntry("code", "funnel_mark_revoked");
        assertDocumented("post", ABLE_PATHS.get(0), revoked);

        String session = "/admin/v1/session";
        HttpTestClient.Response signedIn = http.postJson(session, null, "{\"admin_token\":\"" + admin + "\"}");
        assertThat(signedIn.status()).isEqualTo(201);
        assertDocumented("post", session, signedIn);
        assertDocumented("post", session, http.postJson(session, null, "{\"admin_token\":\"tpa_wrong\"}"));
        assertDocumented("post", session, http.postJson(session, null, "{}"));
        String cookie = signedIn.header("Set-Cookie").split(";")[0];
        String csrf = (String) signedIn.json().get("csrf_token");
        assertDocumented("get", session, http.send(http.request(session).header("Cookie", cookie).GET().build()));
        assertDocumented("get", session, http.get(session, null));
        String settings = "/admin/v1/workspaces/{workspace}/settings";
        String ownSettings = "/admin/v1/workspaces/" + workspaceId + "/settings";
        assertDocumented("get", settings, http.get(ownSettings, admin));
        assertDocumented("get", settings, http.send(http.request(ownSettings).header("Cookie", cookie).GET().build()));
        java.util.function.BiFunction<String, String, HttpTestClient.Response> putSettings = (csrfHeader, body) ->
                http.send(http.request(ownSettings).header("Cookie", cookie).header("Content-Type", "application/json")
                        .header("X-CSRF-Token", csrfHeader).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertDocumented("put", settings, putSettings.apply(csrf, "{\"currency\":\"USD\",\"extra\":1}"));
        assertDocumented("put", settings, putSettings.apply(csrf, "{\"currency\":\"nope\",\"time_zone\":\"x\"}"));
        assertDocumented("put", settings, putSettings.apply("wrong", "{\"currency\":\"USD\"}"));
        String testEvents = "/admin/v1/workspaces/{workspace}/test-events";
        String ownTestEvents = "/admin/v1/workspaces/" + workspaceId + "/test-events";
        assertDocumented("post", testEvents, http.postJson(ownTestEvents, admin, "{\"email\":\"setup@example.com\",\"x\":1}"));
        assertDocumented("post", testEvents, http.postJson(ownTestEvents, admin, "{\"email\":\"nope\"}"));
        assertDocumented("post", testEvents, http.postJson("/admin/v1/workspaces/nobody/test-events", admin, ""));
        assertDocumented("post", testEvents, http.send(http.request(ownTestEvents).header("Cookie", cookie)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()));
        assertDocumented("delete", session, http.send(http.request(session).header("Cookie", cookie).DELETE().build()));
        assertDocumented("delete", session, http.send(http.request(session).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf).DELETE().build()));
        assertDocumented("delete", session, http.send(http.request(session).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf).DELETE().build()));

        String setAside = "/admin/v1/set-aside";
        assertDocumented("get", setAside, http.get(setAside, admin));
        assertDocumented("get", setAside, http.get(setAside + "?limit=0", admin));
        assertDocumented("get", setAside, http.get(setAside + "?workspace=nobody", admin));
        assertDocumented("get", setAside, http.get(setAside, token));
        String retrySetAside = "/admin/v1/set-aside/{eventId}/retry";
        assertDocumented("post", retrySetAside, http.postJson("/admin/v1/set-aside/evt_unknown/retry", admin, ""));
        assertDocumented("post", retrySetAside, http.postJson("/admin/v1/set-aside/evt_unknown/retry", null, ""));
        assertDocumented("post", events, http.postJson(events, token, "{\"event_name\":\"purchase\",\"email\":\"a@b.co\","
                + "\"idempotency_key\":\"k\\u0000\"}"));

        for (String ops : List.of("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs/errors")) {
            assertDocumented("get", ops, http.get(ops, null));
        }
    }

    /** The pixel's routes, first-party paths included, the admin pixel settings and the recognition report. */
    @Test
    void pixelAnswersHaveTheDocumentedShape() {
        String key = server.store().workspaces().byId(workspaceId).orElseThrow().pixelKey();
        String beacon = "{\"type\":\"page_view\",\"token\":\"tpv.openapi0001\",\"ts\":\"n\",\"url\":\"https://shop.example.com/\"}";
        java.util.function.BiFunction<String, String, HttpTestClient.Response> collect = (path, body) -> http.send(http.request(path)
                .header("Content-Type", "text/plain").header("User-Agent", "Mozilla/5.0 Chrome/124.0 Safari/537.36")
                .header("Origin", "http://127.0.0.1").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        for (String path : List.of("/collect", "/t/e")) {
            HttpTestClient.Response accepted = collect.apply(path + "?key=" + key, beacon);
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            assertThat(accepted.header("Set-Cookie")).startsWith("_tp_id=tpv.openapi0001;");
            assertDocumented("post", path, accepted);
            assertDocumented("post", path, collect.apply(path, beacon));
            assertDocumented("post", path, collect.apply(path + "?key=px_nobody", beacon));
            assertDocumented("post", path, collect.apply(path + "?key=" + key, "{\"type\":\"page_view\"}"));
        }
        for (String[] script : List.of(new String[]{"/pixel/{pixelKey}.js", "/pixel/" + key + ".js", "/pixel/px_nobody.js"},
                new String[]{"/t/a.js", "/t/a.js?key=" + key, "/t/a.js?key=px_nobody"})) {
            assertDocumented("get", script[0], http.get(script[1], null));
            assertDocumented("get", script[0], http.get(script[2], null));
        }
        assertDocumented("get", "/t/a.js", http.get("/t/a.js", null));

        String recognition = "/api/v1/recognition";
        HttpTestClient.Response report = http.get(recognition + "?days=30", token);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertDocumented("get", recognition, report);
        assertDocumented("get", recognition, http.get(recognition + "?workspace=" + workspaceId, TestServer.ADMIN_TOKEN));
        assertDocumented("get", recognition, http.get(recognition + "?days=0", token));
        assertDocumented("get", recognition, http.get(recognition, TestServer.ADMIN_TOKEN));
        assertDocumented("get", recognition, http.get(recognition + "?workspace=nobody", TestServer.ADMIN_TOKEN));
        assertDocumented("get", recognition, http.get(recognition, null));

        String pixel = "/admin/v1/workspaces/{workspace}/pixel";
        String own = "/admin/v1/workspaces/" + workspaceId + "/pixel";
        assertDocumented("get", pixel, http.get(own, TestServer.ADMIN_TOKEN));
        assertDocumented("put", pixel, http.send(http.request(own).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"cookie_domains\":[\"example.com\"]}")).build()));
        assertDocumented("put", pixel, http.send(http.request(own).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"cookie_domains\":[\"co.uk\"]}")).build()));
        forEachExample(operation("put", pixel), example -> {
            HttpTestClient.Response r = http.send(http.request(own).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(text(example))).build());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertDocumented("put", pixel, r);
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Every documented operation by "METHOD /path". */
    private static Map<String, JsonNode> operations() {
        Map<String, JsonNode> ops = new LinkedHashMap<>();
        doc.path("paths").properties().forEach(p -> {
            JsonNode item = resolve(p.getValue());
            for (String m : METHODS) {
                if (item.has(m)) ops.put(m.toUpperCase(Locale.ROOT) + " " + p.getKey(), item.get(m));
            }
        });
        return ops;
    }

    private static JsonNode operation(String method, String path) {
        JsonNode op = resolve(doc.path("paths").path(path)).path(method);
        assertThat(op.isMissingNode()).as(method + " " + path + " is documented").isFalse();
        return op;
    }

    /** Follows $ref chains inside the document. */
    private static JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node.has("$ref") && hops++ < 20) node = doc.at(node.get("$ref").asText().substring(1));
        return node;
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) out.add(e.getValue().asText());
                else collectRefs(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }

    private static void forEachExample(JsonNode op, Consumer<JsonNode> action) {
        JsonNode media = resolve(op.path("requestBody")).path("content").path("application/json");
        List<JsonNode> values = new ArrayList<>();
        if (media.has("example")) values.add(media.get("example"));
        media.path("examples").forEach(e -> values.add(resolve(e).path("value")));
        assertThat(values).as("request body examples").isNotEmpty();
        values.forEach(action);
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The example's JSON text with a real funnel mark in place of the seed's placeholder. */
    private static String withMark(JsonNode example, String funnelMark) {
        return text(example).replace("%%FUNNEL_MARK%%", funnelMark);
    }

    /** A package-private constant of AbleMapper, read by reflection as the Cometly test reads CometlyMapper's. */
    @SuppressWarnings("unchecked")
    private static <T> T ableMapperField(String name) throws Exception {
        Field f = Class.forName("io.touchpoint.core.ingest.AbleMapper").getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(null);
    }

    /** An object's property names, in document order. */
    private static Set<String> names(JsonNode object) {
        Set<String> out = new java.util.LinkedHashSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * The answer's status is documented for the operation, its required headers are present, its content type is
     * a documented one, and a JSON body has the documented shape.
     */
    private static void assertDocumented(String method, String path, HttpTestClient.Response r) {
        String what = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + r.status();
        JsonNode response = resolve(operation(method, path).path("responses").path(Integer.toString(r.status())));
        assertThat(response.isMissingNode()).as(what + " is documented; body " + r.body()).isFalse();
        response.path("headers").properties().forEach(h -> {
            if (resolve(h.getValue()).path("required").asBoolean()) {
                assertThat(r.header(h.getKey())).as(what + " header " + h.getKey()).isNotNull();
            }
        });
        assertThat(r.header("Request-Id")).as(what + " Request-Id").matches("req_[0-9A-Z]{26}");
        JsonNode content = response.path("content");
        if (content.isMissingNode()) return;
        String type = base(r.header("Content-Type"));
        Set<String> documentedTypes = new HashSet<>();
        content.fieldNames().forEachRemaining(t -> documentedTypes.add(base(t)));
        assertThat(documentedTypes).as(what + " content type").contains(type);
        if (!type.equals("application/json") || path.equals("/openapi.json")) return;
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(what + " body is not JSON: " + r.body(), e);
        }
        JsonNode schema = content.path("application/json").path("schema");
        List<String> problems = new ArrayList<>();
        shape(schema, body, "$", problems);
        assertThat(problems).as(what + " body " + r.body()).isEmpty();
        if (body.has("request_id")) assertThat(body.get("request_id").asText()).isEqualTo(r.header("Request-Id"));
    }

    private static String base(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    /**
     * A structural check of {@code value} against {@code schema}: object keys must be declared properties (unless
     * the schema allows more), required properties present, recursing into properties and array items; for
     * oneOf/anyOf one branch must fit. Types and formats beyond object/array are not checked.
     */
    private static void shape(JsonNode schema, JsonNode value, String at, List<String> problems) {
        schema = resolve(schema);
        List<JsonNode> alternatives = new ArrayList<>();
        schema.path("oneOf").forEach(alternatives::add);
        schema.path("anyOf").forEach(alternatives::add);
        if (!alternatives.isEmpty() && !schema.has("properties") && !schema.has("allOf")) {
            for (JsonNode alt : alternatives) {
                List<String> mine = new ArrayList<>();
                shape(alt, value, at, mine);
                if (mine.isEmpty()) return;
            }
            problems.add(at + ": fits none of the alternatives");
            return;
        }
        if (value.isObject()) {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            Set<String> required = new HashSet<>();
            boolean closed = gather(schema, properties, required);
            for (String r : required) {
                if (!value.has(r)) problems.add(at + ": required property '" + r + "' is missing");
            }
            for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode property = properties.get(key);
                if (property == null) {
                    if (closed) problems.add(at + ": property '" + key + "' is not documented");
                } else {
                    shape(property, value.get(key), at + "." + key, problems);
                }
            }
            JsonNode constant = schema.path("const");
            if (!constant.isMissingNode() && !constant.equals(value)) problems.add(at + ": is not " + constant);
        } else if (value.isArray()) {
            JsonNode items = schema.path("items");
            if (!items.isMissingNode()) {
                for (int i = 0; i < value.size(); i++) shape(items, value.get(i), at + "[" + i + "]", problems);
            }
        } else {
            JsonNode constant = schema.path("const");
            if (!constant.isMissingNode() && !constant.asText().equals(value.asText())) {
                problems.add(at + ": " + value + " is not " + constant);
            }
            JsonNode allowed = schema.path("enum");
            if (allowed.isArray() && !texts(allowed).contains(value.asText()) && !value.isNull()) {
                problems.add(at + ": " + value + " is not one of " + allowed);
            }
        }
    }

    /** Collects properties and required names through allOf; true when no other properties are allowed. */
    private static boolean gather(JsonNode schema, Map<String, JsonNode> properties, Set<String> required) {
        schema = resolve(schema);
        schema.path("properties").properties().forEach(e -> properties.putIfAbsent(e.getKey(), e.getValue()));
        schema.path("required").forEach(n -> required.add(n.asText()));
        boolean closed = schema.has("properties") && !schema.has("additionalProperties");
        for (JsonNode part : schema.path("allOf")) closed |= gather(part, properties, required);
        return closed;
    }
}
