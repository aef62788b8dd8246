package io.touchpoint.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.ingest.AbleEventTypes;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Scope;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.OpenApiSchemas;
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
 * Every status must be documented for its operation, its required headers present, and a JSON answer valid against
 * the operation's response schema by a real JSON Schema validator (OpenAPI 3.1 dialect, {@link OpenApiSchemas}), with
 * every property it sends documented; every request example, and every request body the server accepted, is valid
 * against the operation's request schema.
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
    static OpenApiSchemas schemas;
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
        schemas = new OpenApiSchemas(doc);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void isOpenApi31() {
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isEqualTo(io.touchpoint.server.telemetry.BuildInfo.current().version());
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
        registered.removeIf(io.touchpoint.server.ops.ApiDocsRoutes::serves);
        Set<String> documented = new TreeSet<>(operations().keySet());
        assertThat(documented).as("documented operations").isEqualTo(registered);
    }

    @Test
    void everyOperationHasASuccessAndEveryResponseDocumentsRequestId() {
        operations().forEach((route, op) -> {
            JsonNode responses = op.path("responses");
            List<String> statuses = new ArrayList<>();
            responses.fieldNames().forEachRemaining(statuses::add);
            // a success: 2xx, or the redirect of a route whose answer is to send the browser on (single sign-on)
            assertThat(statuses).as(route + " has a 2xx or 3xx response").anyMatch(s -> s.matches("[23]\\d\\d"));
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

    /** The validator is real and strict: a wrong type, a bad format, a broken pattern or an undocumented property fails. */
    @Test
    void theValidatorRefusesWhatTheDocumentDoesNotSay() {
        String health = "/components/schemas/Health";
        String ok = "{\"status\":\"ok\",\"version\":\"0.2.0\",\"commit\":\"0123456789ab\"";
        assertThat(schemas.answerErrors(health, ok + "}")).isEmpty();
        assertThat(schemas.answerErrors(health, "{\"status\":\"ok\"}")).as("required properties").isNotEmpty();
        assertThat(schemas.answerErrors(health, ok.replace("\"ok\"", "5") + "}")).isNotEmpty();
        assertThat(schemas.answerErrors(health, ok + ",\"extra\":1}")).as("undocumented property").isNotEmpty();
        assertThat(schemas.requestErrors(health, ok + ",\"extra\":1}")).as("requests: open as written").isEmpty();
        String created = "/components/schemas/CreatedToken";
        String token = "{\"id\":\"tok_01M84K0000000000000000000A\",\"workspace_id\":\"ws_1\",\"name\":null,"
                + "\"prefix\":\"tp_7POm8fLB\",\"scopes\":[\"ingest\"],\"created_at\":\"2026-01-05T10:12:03Z\","
                + "\"last_used_at\":null,\"revoked_at\":null,\"token\":\"tp_" + "a".repeat(40) + "\"}";
        assertThat(schemas.answerErrors(created, token)).as("allOf: both parts' properties are documented").isEmpty();
        assertThat(schemas.answerErrors(created, token.replace("}", ",\"extra\":1}"))).as("undocumented, through allOf")
                .isNotEmpty();
        assertThat(schemas.answerErrors(created, token.replace("2026-01-05T10:12:03Z", "yesterday"))).as("date-time format")
                .isNotEmpty();
        assertThat(schemas.answerErrors(created, token.replace("tok_01M84K", "tok_01m84k"))).as("pattern").isNotEmpty();
        assertThat(schemas.answerErrors(created, token.replace(",\"revoked_at\":null", ""))).as("required").isNotEmpty();
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
            assertRequestDocumented("post", path, text(seed));
            HttpTestClient.Response r = http.postJson(path, token, text(seed));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json()).doesNotContainKey("warnings");
            assertDocumented("post", path, r);
        }
    }

    @Test
    void everyIngestRequestExampleIsAccepted() throws Exception {
        for (String path : List.of("/public-api/v1/events", "/public-api/v1/events/track", "/public-api/v1/events/batch")) {
            forEachExample(operation("post", path), example -> {
                assertRequestDocumented("post", path, text(example));
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
            assertRequestDocumented("post", path, withMark(seed, mark));
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
                assertRequestDocumented("post", path, withMark(example, mark));
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
            assertRequestDocumented("post", "/admin/v1/workspaces", text(example));
            HttpTestClient.Response r = http.postJson("/admin/v1/workspaces", TestServer.ADMIN_TOKEN, text(example));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertDocumented("post", "/admin/v1/workspaces", r);
            String workspace = (String) r.json().get("name");
            String tokens = "/admin/v1/workspaces/{workspace}/tokens";
            forEachExample(operation("post", tokens), t -> {
                assertRequestDocumented("post", tokens, text(t));
                HttpTestClient.Response c = http.postJson(tokens.replace("{workspace}", workspace),
                        TestServer.ADMIN_TOKEN, text(t));
                assertThat(c.status()).as(c.body()).isEqualTo(201);
                assertDocumented("post", tokens, c);
            });
            String funnels = "/admin/v1/workspaces/{workspace}/funnels";
            forEachExample(operation("post", funnels), f -> {
                assertRequestDocumented("post", funnels, text(f));
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
        postDocumented(events, events, token, "{\"event_name\":\"purchase\",\"foo\":1}");
        postDocumented(events, events, token, "{\"event_name\":\"Purchase\",\"amount\":-1}");
        postDocumented(events, events, token, "[1]");
        postDocumented(events, events, token, "{\"event_name\":");
        assertDocumented("post", events, http.post(events, token, "text/plain", SEED));
        HttpTestClient.Response unauthorized = http.postJson(events, null, SEED);
        assertDocumented("post", events, unauthorized);
        assertThat(unauthorized.status()).isEqualTo(401);
        postDocumented(events, events, "tp_not_a_token", SEED);
        String batch = "/public-api/v1/events/batch";
        // a batch answers 200 with each event's own result, so a batch of invalid events is answered 200 too
        assertDocumented("post", batch, http.postJson(batch, token, "{\"events\":[" + SEED + ",{\"event_name\":\"x\"},7]}"));
        postDocumented(batch, batch, token, "{\"events\":[]}");
        postDocumented(batch, batch, token, "{}");

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
        HttpTestClient.Response created = postDocumented(workspaces, workspaces, admin, "{\"name\":\"shape-check\"}");
        assertThat(created.status()).isEqualTo(201);
        postDocumented(workspaces, workspaces, admin, "{\"name\":\"shape-check\"}");
        postDocumented(workspaces, workspaces, admin, "{\"name\":\"z\",\"time_zone\":\"Mars/Olympus\"}");
        assertDocumented("post", workspaces, http.post(workspaces, admin, "text/plain", "name=x"));
        String tokens = "/admin/v1/workspaces/{workspace}/tokens";
        assertDocumented("get", tokens, http.get("/admin/v1/workspaces/shape-check/tokens", admin));
        assertDocumented("get", tokens, http.get("/admin/v1/workspaces/nobody/tokens", admin));
        HttpTestClient.Response newToken = postDocumented(tokens, "/admin/v1/workspaces/shape-check/tokens", admin, "{}");
        postDocumented(tokens, "/admin/v1/workspaces/shape-check/tokens", admin, "{\"scopes\":[\"all\"]}");
        String revoke = "/admin/v1/tokens/{tokenId}";
        assertDocumented("delete", revoke, http.delete("/admin/v1/tokens/" + newToken.json().get("id"), admin));
        assertDocumented("delete", revoke, http.delete("/admin/v1/tokens/tok_unknown", admin));

        CreatedWorkspace other = server.createWorkspace("openapi-other");
        CreatedToken readOnly = server.workspaces().createToken(workspaceId, "read only", Set.of(Scope.READ));
        Funnel doomed = server.workspaces().createFunnel(workspaceId, "to be revoked");
        String seedText = ABLE_SEED.replace("%%FUNNEL_MARK%%", mark);
        for (String able : ABLE_PATHS) {
            postDocumented(able, able, null, seedText);
            postDocumented(able, able, token, seedText);
            postDocumented(able, able, null, seedText.replace("\"12354\"", "\"12354\",\"user_id\":7"));
            postDocumented(able, able, null, "{\"event_type\":\"Purchase\"}");
            postDocumented(able, able, null, seedText.replace("Purchase", "Search"));
            postDocumented(able, able, null, seedText.replace("\"deal_currency\":\"USD\",", ""));
            assertDocumented("post", able, http.postJson(able, null, seedText.replace("\"qty\":2", "\"qty\":\"two\"")
                    .replace("\"client_id\"", "\"nope\"")));
            postDocumented(able, able, null, "{\"funnel_mark\":\"" + mark + "\",\"event_type\":\"Lead\"}");
            HttpTestClient.Response unknown = http.postJson(able, null, ABLE_SEED);
            assertThat(unknown.status()).isEqualTo(401);
            assertDocumented("post", able, unknown);
            postDocumented(able, able, "tp_not_a_token", seedText);
            HttpTestClient.Response wrong = http.postJson(able, other.token().secret(), seedText);
            assertThat(wrong.status()).isEqualTo(403);
            assertDocumented("post", able, wrong);
            postDocumented(able, able, readOnly.secret(), seedText);
            postDocumented(able, able, null, "[" + seedText + "]");
            postDocumented(able, able, null, "{\"funnel_mark\":");
            assertDocumented("post", able, http.post(able, null, "text/plain", seedText));
        }
        String funnels = "/admin/v1/workspaces/{workspace}/funnels";
        String ownFunnels = "/admin/v1/workspaces/" + workspaceId + "/funnels";
        assertDocumented("get", funnels, http.get(ownFunnels, admin));
        assertDocumented("get", funnels, http.get(ownFunnels, token));
        assertDocumented("get", funnels, http.get("/admin/v1/workspaces/nobody/funnels", admin));
        HttpTestClient.Response newFunnel = postDocumented(funnels, ownFunnels, admin, "{\"name\":\"shape-check\"}");
        assertThat(newFunnel.status()).isEqualTo(201);
        postDocumented(funnels, ownFunnels, admin, "{}");
        postDocumented(funnels, "/admin/v1/workspaces/nobody/funnels", admin, "{\"name\":\"x\"}");
        postDocumented(funnels, ownFunnels, null, "{\"name\":\"x\"}");
        assertDocumented("post", funnels, http.post(ownFunnels, admin, "text/plain", "name=x"));
        postDocumented(funnels, ownFunnels, admin, "{\"name\":");
        String revokeFunnel = "/admin/v1/funnels/{funnelId}";
        assertDocumented("delete", revokeFunnel, http.delete("/admin/v1/funnels/" + doomed.id(), admin));
        assertDocumented("delete", revokeFunnel, http.delete("/admin/v1/funnels/fn_unknown", admin));
        assertDocumented("delete", revokeFunnel, http.delete("/admin/v1/funnels/" + doomed.id(), token));
        HttpTestClient.Response revoked = http.postJson(ABLE_PATHS.get(0), null,
                ABLE_SEED.replace("%%FUNNEL_MARK%%", doomed.mark()));
        assertThat(revoked.error()).containsEntry("code", "funnel_mark_revoked");
        assertDocumented("post", ABLE_PATHS.get(0), revoked);

        String session = "/admin/v1/session";
        HttpTestClient.Response signedIn = postDocumented(session, session, null, "{\"admin_token\":\"" + admin + "\"}");
        assertThat(signedIn.status()).isEqualTo(201);
        postDocumented(session, session, null, "{\"admin_token\":\"tpa_wrong\"}");
        postDocumented(session, session, null, "{}");
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
        assertDocumented("put", settings, "{\"currency\":\"USD\",\"extra\":1}", putSettings.apply(csrf, "{\"currency\":\"USD\",\"extra\":1}"));
        assertDocumented("put", settings, "{\"currency\":\"nope\",\"time_zone\":\"x\"}", putSettings.apply(csrf, "{\"currency\":\"nope\",\"time_zone\":\"x\"}"));
        assertDocumented("put", settings, "{\"currency\":\"USD\"}", putSettings.apply("wrong", "{\"currency\":\"USD\"}"));
        String testEvents = "/admin/v1/workspaces/{workspace}/test-events";
        String ownTestEvents = "/admin/v1/workspaces/" + workspaceId + "/test-events";
        postDocumented(testEvents, ownTestEvents, admin, "{\"email\":\"setup@example.com\",\"x\":1}");
        postDocumented(testEvents, ownTestEvents, admin, "{\"email\":\"nope\"}");
        postDocumented(testEvents, "/admin/v1/workspaces/nobody/test-events", admin, "");
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
        postDocumented(retrySetAside, "/admin/v1/set-aside/evt_unknown/retry", admin, "");
        postDocumented(retrySetAside, "/admin/v1/set-aside/evt_unknown/retry", null, "");
        assertDocumented("post", events, http.postJson(events, token, "{\"event_name\":\"purchase\",\"email\":\"a@b.co\","
                + "\"idempotency_key\":\"k\\u0000\"}"));

        for (String ops : List.of("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs/errors")) {
            assertDocumented("get", ops, http.get(ops, null));
        }
    }

    /**
     * Every documented GET, read with the administrator token, the workspace's token and none, after an event was
     * ingested and processed: each answer (found, not found, refused) must be valid against its documented schema.
     */
    @Test
    void everyReadAnswersAsDocumented() throws Exception {
        String eventId = (String) http.postJson("/public-api/v1/events", token, SEED).json().get("id");
        server.awaitProcessed();
        int checked = 0;
        List<String> problems = new ArrayList<>();
        for (String route : operations().keySet()) {
            if (!route.startsWith("GET ")) continue;
            String path = route.substring(4);
            String url = path.replace("{workspace}", workspaceId).replace("{eventId}", eventId)
                    .replaceAll("\\{[A-Za-z]+}", "unknown");
            for (String credential : new String[]{TestServer.ADMIN_TOKEN, token, null}) {
                try {
                    assertDocumented("get", path, http.get(url, credential));
                } catch (AssertionError e) {
                    problems.add(e.getMessage().strip());
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(problems).isEmpty();
    }

    /**
     * Every documented change (POST, PUT, PATCH, DELETE) on ids that do not exist, with an empty JSON object for a
     * body, by the administrator, the workspace's token and nobody: each answer must be a documented one, and a body
     * the server accepted must be valid against the request schema.
     */
    @Test
    void everyChangeOnUnknownIdsAnswersAsDocumented() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String route : operations().keySet()) {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            if (method.equals("get")) continue;
            String path = route.substring(route.indexOf(' ') + 1);
            String url = path.replaceAll("\\{[A-Za-z]+}", "unknown");
            for (String credential : new String[]{TestServer.ADMIN_TOKEN, token, null}) {
                java.net.http.HttpRequest.Builder b = http.request(url).header("Content-Type", "application/json");
                if (credential != null) b.header("Authorization", "Bearer " + credential);
                String body = method.equals("delete") ? null : "{}";
                b.method(method.toUpperCase(Locale.ROOT), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
                try {
                    // a body sent where none is documented is ignored by the server, so it is not checked
                    assertDocumented(method, path, operation(method, path).has("requestBody") ? body : null,
                            http.send(b.build()));
                } catch (AssertionError e) {
                    problems.add(e.getMessage().strip());
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(problems).isEmpty();
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

    /** Sends a JSON POST and checks the exchange: the answer as {@link #assertDocumented}, and the request body too. */
    private static HttpTestClient.Response postDocumented(String path, String url, String token, String body) {
        HttpTestClient.Response r = http.postJson(url, token, body);
        assertDocumented("post", path, body, r);
        return r;
    }

    /**
     * {@link #assertDocumented(String, String, HttpTestClient.Response)}, and when the server accepted the request
     * (2xx), its JSON body is valid against the operation's request schema: what the server takes, the document allows.
     */
    private static void assertDocumented(String method, String path, String requestBody, HttpTestClient.Response r) {
        assertDocumented(method, path, r);
        if (r.status() >= 200 && r.status() < 300 && requestBody != null && !requestBody.isBlank()) {
            assertRequestDocumented(method, path, requestBody);
        }
    }

    /** The request body is valid against the operation's JSON request schema. */
    private static void assertRequestDocumented(String method, String path, String requestBody) {
        String body = schemas.resolve(operationPointer(method, path) + "/requestBody");
        String schema = body + "/content/application~1json/schema";
        assertThat(doc.at(schema).isMissingNode()).as(method + " " + path + " documents a JSON request body").isFalse();
        assertThat(schemas.requestErrors(schema, requestBody)).as(method + " " + path + " request " + requestBody).isEmpty();
    }

    private static String operationPointer(String method, String path) {
        operation(method, path); // documented
        return schemas.resolve("/paths/" + OpenApiSchemas.segment(path)) + "/" + method;
    }

    /**
     * The answer's status is documented for the operation, its required headers are present, its content type is
     * a documented one, and a JSON body is valid against the documented schema (every property it has documented).
     */
    private static void assertDocumented(String method, String path, HttpTestClient.Response r) {
        String what = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + r.status();
        String responsePointer = schemas.resolve(operationPointer(method, path) + "/responses/" + r.status());
        JsonNode response = doc.at(responsePointer);
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
        String schema = responsePointer + "/content/application~1json/schema";
        assertThat(schemas.answerErrors(schema, r.body())).as(what + " body " + r.body()).isEmpty();
        if (body.has("request_id")) assertThat(body.get("request_id").asText()).isEqualTo(r.header("Request-Id"));
    }

    private static String base(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }
}
