package io.touchpoint.server.fuzz;

import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.fuzz.FuzzBodies.Body;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.tests.PostgresTestDatabase;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.touchpoint.server.fuzz.FuzzBodies.body;
import static io.touchpoint.server.fuzz.FuzzBodies.jsonText;
import static io.touchpoint.server.fuzz.FuzzBodies.number;
import static io.touchpoint.server.fuzz.FuzzBodies.object;
import static io.touchpoint.server.fuzz.FuzzBodies.oneOf;
import static io.touchpoint.server.fuzz.FuzzBodies.text;
import static io.touchpoint.server.fuzz.FuzzBodies.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated bodies for the endpoints senders, browsers and scripts post to (both dialects, batches, the pixel, sign-in,
 * test events, unmerges, spend imports, saved views, the workspace settings, users, ad accounts, exports and the
 * destinations' admin API), and generated query strings for the reads that take filters, each sent to a server on
 * SQLite and one on PostgreSQL: every answer has a documented status (never a 500) and, when it is an error, the
 * documented error shape with a documented code; both stores answer alike; and after each endpoint's run every stage
 * has caught up (lag 0). Each request comes from an address of its own (through a trusted proxy), so the per-address
 * limits on guessing do not hide what the body would have been answered.
 */
class EdgeFuzzTest {
    /** Bodies per endpoint: 3,000 requests with both stores, the whole run about two minutes on a loaded 2-core machine. */
    private static final int TRIES = 1500;
    /** Bodies per destination endpoint: their checks are fewer, and each destination made starts a sender. */
    private static final int DESTINATION_TRIES = 400;
    /**
     * Where the fuzz's destinations would send: a closed local port. They belong to a workspace no event reaches, so
     * nothing is sent anyway; a destination created without a base URL would name the platform's real host.
     */
    private static final String NOWHERE = "http://127.0.0.1:9";
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0";
    private static final AtomicLong CLIENTS = new AtomicLong();
    private static final List<Target> TARGETS = new ArrayList<>();
    private static final java.util.concurrent.ExecutorService SENDERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private static Path dir;

    /**
     * One server with the workspaces, funnel, pixel key and profile the requests name, a destination (a webhook of
     * the admin workspace, which no event reaches) for the destination endpoints and an invited user for user changes.
     */
    record Target(String name, TestServer server, String ws, String token, String mark, String pixelKey, String adminWs,
                  String profile, String destination, String user) {
    }

    @BeforeContainer
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("touchpoint-fuzz");
        // ad accounts are synced only when asked, and never by the fuzz: their platforms' addresses are a closed port anyway
        Map<String, String> common = Map.of("proxies.trusted", "127.0.0.1/32", "storage.sync", "normal",
                "ad-sync.interval-hours", "0", "ad-sync.meta-url", NOWHERE, "ad-sync.google-url", NOWHERE,
                "ad-sync.google-token-url", NOWHERE + "/token", "ad-sync.tiktok-url", NOWHERE);
        TARGETS.add(target("sqlite", TestServer.start(dir.resolve("sqlite"), common)));
        Map<String, String> pg = new java.util.HashMap<>(common);
        pg.remove("storage.sync");
        pg.put("db", PostgresTestDatabase.freshSchemaUrl());
        TARGETS.add(target("postgres", TestServer.start(dir.resolve("postgres"), pg)));
    }

    private static Target target(String name, TestServer s) throws InterruptedException {
        CreatedWorkspace c = s.createWorkspace("fuzz");
        Funnel f = s.workspaces().createFunnel(c.workspace().id(), "fuzz-site");
        CreatedWorkspace admin = s.createWorkspace("fuzz-admin");
        HttpTestClient.Response r = s.http.postJson("/public-api/v1/events", c.token().secret(),
                "{\"event_name\":\"lead_generated\",\"email\":\"fuzz@example.com\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        s.awaitProcessed();
        String profile = (String) s.http.get("/api/v1/profiles?identifier=email:fuzz@example.com", c.token().secret())
                .json().get("id");
        HttpTestClient.Response d = s.http.postJson("/admin/v1/workspaces/" + admin.workspace().id() + "/destinations",
                TestServer.ADMIN_TOKEN, "{\"type\":\"webhook\",\"name\":\"fuzz hook\",\"settings\":{\"url\":\"" + NOWHERE
                        + "/hook\"}}");
        assertThat(d.status()).as(d.body()).isEqualTo(201);
        HttpTestClient.Response u = s.http.postJson("/admin/v1/users", TestServer.ADMIN_TOKEN,
                "{\"email\":\"fuzzed@example.com\",\"role\":\"analyst\",\"workspaces\":[\"" + admin.workspace().id() + "\"]}");
        assertThat(u.status()).as(u.body()).isEqualTo(201);
        return new Target(name, s, c.workspace().id(), c.token().secret(), f.mark(), c.workspace().pixelKey(),
                admin.workspace().id(), profile, (String) d.json().get("id"), (String) u.json().get("id"));
    }

    @AfterContainer
    static void stopServers() throws IOException {
        for (Target t : TARGETS) t.server().close();
        TARGETS.clear();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Every stage has processed everything committed, on both stores. */
    @AfterProperty
    void stagesCatchUp() throws InterruptedException {
        for (Target t : TARGETS) Lag.awaitZero(t.server());
    }

    /** The export schedules a run made are deleted again, through the API, so that none runs later. */
    @AfterProperty
    void madeExportsDeleted() {
        for (Target t : TARGETS) {
            String list = "/admin/v1/workspaces/" + t.adminWs() + "/exports";
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> all = (List<Map<String, Object>>) t.server().http.get(list, TestServer.ADMIN_TOKEN).json().get("data");
            for (Map<String, Object> e : all) {
                HttpTestClient.Response r = t.server().http.delete(list + "/" + e.get("id"), TestServer.ADMIN_TOKEN);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
        }
    }

    /** The destinations a run made are deleted again, through the API, so that their senders stop. */
    @AfterProperty
    void madeDestinationsDeleted() {
        for (Target t : TARGETS) {
            String list = "/admin/v1/workspaces/" + t.adminWs() + "/destinations";
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> all = (List<Map<String, Object>>) t.server().http.get(list, TestServer.ADMIN_TOKEN).json().get("data");
            for (Map<String, Object> d : all) {
                if (d.get("id").equals(t.destination())) continue;
                HttpTestClient.Response r = t.server().http.delete("/admin/v1/destinations/" + d.get("id"), TestServer.ADMIN_TOKEN);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
        }
    }

    // ---- the endpoints -------------------------------------------------------------------------------------------

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void cometlyEvents(@ForAll("cometlyBodies") Body body) {
        send(body, t -> post("/public-api/v1/events", t.token(), body));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void cometlyBatches(@ForAll("batchBodies") Body body) {
        send(body, t -> post("/public-api/v1/events/batch", t.token(), body));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void ableWebhook(@ForAll("ableBodies") Function<String, Body> bodyForMark) {
        send(bodyForMark.apply("…"), t -> post("/uip-events/event", null, bodyForMark.apply(t.mark())));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void pixelBeacons(@ForAll("pixelBodies") Body body, @ForAll("userAgents") String userAgent) {
        send(body, t -> post("/collect?key=" + t.pixelKey(), null, body).header("User-Agent", userAgent)
                .header("Origin", "https://shop.example"));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void signIn(@ForAll("signInBodies") Body body) {
        send(body, t -> post("/admin/v1/session", null, body));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void testEvents(@ForAll("testEventBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.ws() + "/test-events", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void adminChanges(@ForAll("adminPaths") String path, @ForAll("adminBodies") Body body) {
        String method = path.startsWith("POST ") ? "POST" : "PUT";
        String p = path.substring(method.length() + 1);
        send(body, t -> request(p.replace("{ws}", t.adminWs()), TestServer.ADMIN_TOKEN, body, method));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void spendImports(@ForAll("spendBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/ad-spend", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void unmerges(@ForAll("unmergeBodies") Body body) {
        send(body, t -> post("/api/v1/profiles/" + t.profile() + "/unmerge", t.token(), body));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void destinationCreates(@ForAll("destinationBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/destinations", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void destinationChanges(@ForAll("destinationBodies") Body body) {
        send(body, t -> request("/admin/v1/destinations/" + t.destination(), TestServer.ADMIN_TOKEN, body, "PATCH"));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void replays(@ForAll("replayBodies") Body body) {
        send(body, t -> post("/admin/v1/destinations/" + t.destination() + "/replay", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void adAccountConnections(@ForAll("adAccountBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/ad-accounts", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void exportSchedules(@ForAll("exportBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/exports", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void userInvites(@ForAll("userBodies") Body body) {
        send(body, t -> post("/admin/v1/users", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void userChanges(@ForAll("userBodies") Body body) {
        send(body, t -> request("/admin/v1/users/" + t.user(), TestServer.ADMIN_TOKEN, body, "PATCH"));
    }

    @Property(tries = DESTINATION_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void savedViews(@ForAll("savedViewBodies") Body body) {
        send(body, t -> post("/api/v1/saved-views", t.token(), body));
    }

    /** A read with generated filters: a path of {@link #READS} and its query string. */
    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void readFilters(@ForAll("readRequests") Map.Entry<String, String> read) {
        Body none = new Body(new byte[0], null);
        boolean admin = read.getKey().startsWith("/admin/");
        send(none, t -> request(read.getKey().replace("{ws}", t.adminWs()) + "?" + read.getValue(),
                admin ? TestServer.ADMIN_TOKEN : t.token(), none, "GET"));
    }

    // ---- generators ----------------------------------------------------------------------------------------------

    static final List<String> EVENT_NAMES = new ArrayList<>(EventNames.STANDARD);

    static {
        EVENT_NAMES.addAll(List.of("page_view", "custom_event_3", "Purchase", "lead", "test_event"));
    }

    private static Arbitrary<Object> email() {
        return oneOf("a@example.com", "b@example.com", "Fuzz@Example.com", "c+tag@example.org", "fuzz@example.com");
    }

    private static Arbitrary<Object> url() {
        return oneOf("https://shop.example/", "https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=G1",
                "https://shop.example/?fbclid=F1&utm_campaign=%3DHYPERLINK(1)", "http://[::1]/", "not a url", "https://a.example/?q=%zz");
    }

    static Map<String, Arbitrary<?>> cometlyFields() {
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("event_name", Arbitraries.of(EVENT_NAMES));
        f.put("email", email());
        f.put("fingerprint", text());
        f.put("ip", oneOf("203.0.113.9", "2001:db8::1", "999.1.1.1", "localhost"));
        f.put("comet_token", text());
        f.put("phone", oneOf("+14155550100", "415 555 0100", "call me", 4155550100L));
        f.put("event_time", oneOf(1677093110, 1677093110000L, "2024-05-01T12:00:00Z", 86400, "yesterday", 99999999999999L));
        f.put("amount", number());
        f.put("currency", oneOf("USD", "eur", "ZZZ", "XAU"));
        f.put("idempotency_key", text());
        f.put("url", url());
        f.put("user_agent", Arbitraries.just(CHROME));
        f.put("do_not_capi", oneOf(true, false, "maybe"));
        for (String name : List.of("first_name", "last_name", "full_name", "order_id", "order_name", "checkout_token",
                "comet_source", "comet_network", "comet_campaign", "comet_ad_group", "comet_ad_id", "comet_keyword",
                "comet_type", "comet_placement")) {
            f.put(name, text());
        }
        return f;
    }

    @Provide
    Arbitrary<Body> cometlyBodies() {
        return body(jsonText(object(cometlyFields())), "application/json");
    }

    @Provide
    Arbitrary<Body> batchBodies() {
        Arbitrary<Object> events = Arbitraries.frequencyOf(
                Tuple.of(6, object(cometlyFields()).map(m -> (Object) m).list().ofMaxSize(5).map(l -> (Object) l)),
                Tuple.of(1, value(2)));
        return body(jsonText(object(Map.of("events", events))), "application/json");
    }

    @Provide
    Arbitrary<Function<String, Body>> ableBodies() {
        Map<String, Arbitrary<?>> keys = new java.util.LinkedHashMap<>();
        keys.put("client_id", text());
        keys.put("email", Arbitraries.oneOf(email(), email().list().ofMaxSize(3).map(l -> (Object) l)));
        keys.put("phone", oneOf("+14155550100", "bad phone"));
        for (String k : List.of("gclid", "fbp", "fbclid", "ga_cookie", "msclkid", "ttp")) keys.put(k, text());
        Map<String, Arbitrary<?>> item = Map.of("name", text(), "price", number(), "qty", number(), "sku", text());
        Map<String, Arbitrary<?>> resource = new java.util.LinkedHashMap<>();
        resource.put("keys", object(keys));
        resource.put("deal_value", number());
        resource.put("deal_currency", oneOf("USD", "EUR", "nope"));
        resource.put("deal_items", object(item).list().ofMaxSize(3));
        resource.put("event_source", url());
        resource.put("referrer_url", url());
        resource.put("lead", Arbitraries.maps(Arbitraries.of("firstName", "lastName", "company", "phone"), value(1)).ofMaxSize(3));
        resource.put("custom_data", Arbitraries.maps(text(), value(2)).ofMaxSize(3));
        resource.put("client", object(Map.of("ip", oneOf("203.0.113.9", "nope"), "ua", text())));
        for (String k : List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "message",
                "description", "order_id")) {
            resource.put(k, text());
        }
        Map<String, Arbitrary<?>> top = new java.util.LinkedHashMap<>();
        top.put("funnel_mark", Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("%MARK%")), Tuple.of(1, text())));
        top.put("event_type", Arbitraries.of("PageView", "Lead", "Purchase", "AddToCart", "Contact", "purchase", "Nope"));
        top.put("resource", object(resource));
        top.put("idempotency_key", text());
        top.put("event_time", oneOf(1677093110, "2024-05-01T12:00:00Z", "soon"));
        return body(jsonText(object(top)), "application/json").map(b -> mark -> new Body(new String(b.bytes(),
                java.nio.charset.StandardCharsets.UTF_8).replace("%MARK%", mark)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), b.contentType()));
    }

    @Provide
    Arbitrary<Body> pixelBodies() {
        Map<String, Arbitrary<?>> params = new java.util.LinkedHashMap<>();
        for (String p : List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid", "fbclid",
                "comet_ad_id", "comet_network")) {
            params.put(p, text());
        }
        Map<String, Arbitrary<?>> person = Map.of("email", email(), "phone", oneOf("+14155550100", "no"),
                "first_name", text(), "full_name", text());
        Map<String, Arbitrary<?>> beacon = new java.util.LinkedHashMap<>();
        beacon.put("type", Arbitraries.of("page_view", "identify", "event", "click"));
        beacon.put("name", Arbitraries.of(EVENT_NAMES));
        beacon.put("token", Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.strings().withCharRange('a', 'z')
                .ofMinLength(1).ofMaxLength(20).map(s -> (Object) ("tpv." + s))), Tuple.of(1, text().map(s -> (Object) s))));
        beacon.put("fp", text());
        beacon.put("url", url());
        beacon.put("ref", url());
        beacon.put("title", text());
        beacon.put("params", object(params));
        beacon.put("cookies", object(Map.of("fbp", text(), "fbc", text(), "ga", text())));
        beacon.put("person", object(person));
        beacon.put("screen", text());
        beacon.put("lang", text());
        beacon.put("tz", text());
        return body(jsonText(object(beacon)), "text/plain;charset=UTF-8");
    }

    @Provide
    Arbitrary<String> userAgents() {
        return Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just(CHROME)),
                Tuple.of(1, Arbitraries.of("curl/8.0", "Googlebot/2.1", "x")));
    }

    @Provide
    Arbitrary<Body> signInBodies() {
        return body(jsonText(object(Map.of("admin_token", Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(TestServer.ADMIN_TOKEN)), Tuple.of(6, text()))))), "application/json");
    }

    @Provide
    Arbitrary<Body> testEventBodies() {
        return body(jsonText(object(Map.of("email", email(), "comet_token", text(), "url", url(), "user_agent", text()))),
                "application/json");
    }

    @Provide
    Arbitrary<String> adminPaths() {
        return Arbitraries.of("POST /admin/v1/workspaces", "PUT /admin/v1/workspaces/{ws}/settings",
                "PUT /admin/v1/workspaces/{ws}/pixel", "PUT /admin/v1/workspaces/{ws}/identity-guardrails",
                "PUT /admin/v1/workspaces/{ws}/attribution", "POST /admin/v1/workspaces/{ws}/tokens",
                "POST /admin/v1/workspaces/{ws}/funnels");
    }

    @Provide
    Arbitrary<Body> adminBodies() {
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("name", text());
        f.put("time_zone", oneOf("Europe/Paris", "UTC", "Mars/Olympus"));
        f.put("currency", oneOf("EUR", "USD", "QQQ"));
        f.put("phone_region", oneOf("FR", "US", "ZZ"));
        f.put("rate_limit_per_minute", Arbitraries.oneOf(number(), oneOf(1_000_000, 0, -5)));
        f.put("scopes", Arbitraries.oneOf(oneOf("ingest", "read", "admin").list().ofMaxSize(3).map(l -> (Object) l), value(1)));
        f.put("allowed_origins", text().list().ofMaxSize(3));
        f.put("domains", text().list().ofMaxSize(3));
        f.put("max_profiles_per_value", number());
        f.put("lookback_days", Arbitraries.oneOf(number(), oneOf(30, 0, 91)));
        f.put("half_life_days", number());
        f.put("conversion_events", Arbitraries.of(EVENT_NAMES).list().ofMaxSize(3));
        f.put("visit_timeout_minutes", number());
        return body(jsonText(object(f)), "application/json");
    }

    @Provide
    Arbitrary<Body> spendBodies() {
        Arbitrary<String> cell = Arbitraries.oneOf(text(), Arbitraries.of("2026-02-01", "2026-13-01", "facebook", "google",
                "meta", "nowhere", "12.5", "-3", "USD", "EUR", "\"quoted, cell\"", "\"unclosed"));
        Arbitrary<String> line = cell.list().ofMinSize(3).ofMaxSize(6).map(l -> String.join(",", l));
        Arbitrary<String> header = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("date,platform,campaign,spend,currency")),
                Tuple.of(1, line));
        Arbitrary<String> csv = Combinators.combine(header, line.list().ofMaxSize(5))
                .as((h, ls) -> h + "\n" + String.join("\n", ls) + "\n");
        return body(csv, "text/csv");
    }

    @Provide
    Arbitrary<Body> destinationBodies() {
        Map<String, Arbitrary<?>> settings = new java.util.LinkedHashMap<>();
        for (String key : List.of("pixel_id", "access_token", "test_event_code", "customer_id", "conversion_action",
                "developer_token", "client_id", "client_secret", "refresh_token", "login_customer_id", "pixel_code",
                "measurement_id", "api_secret", "secret")) {
            settings.put(key, Arbitraries.oneOf(text(), Arbitraries.of("1234567890", "123-456-7890", "G-ABC123", "AW-1",
                    "customers/1/conversionActions/2", "EAAB", "C4ABC")));
        }
        settings.put("url", Arbitraries.oneOf(text(), Arbitraries.of(NOWHERE + "/hook", "https://127.0.0.1:9/hook",
                "ftp://example.com/", "http://", "hook", "https://user:pw@127.0.0.1:9/")));
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("type", oneOf("meta", "google_ads", "tiktok", "ga4", "webhook", "facebook", "META", ""));
        f.put("name", text());
        f.put("settings", object(settings));
        f.put("events", Arbitraries.of(EVENT_NAMES).list().ofMaxSize(4));
        f.put("event_map", Arbitraries.maps(Arbitraries.of(EVENT_NAMES), text()).ofMaxSize(3));
        f.put("mode", oneOf("all", "attributed", "some"));
        f.put("model", oneOf("last_touch", "first_touch", "linear", "data_driven", "markov", "nope"));
        f.put("base_url", oneOf(NOWHERE, NOWHERE + "/", "https://127.0.0.1:9", "127.0.0.1:9", "javascript:alert(1)", "http://[::1"));
        f.put("enabled", oneOf(true, false, "yes"));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(
                Map.of("type", "meta", "name", "Meta", "settings", Map.of("pixel_id", "1234567890", "access_token", "EAAB"),
                        "base_url", NOWHERE),
                Map.of("type", "google_ads", "name", "Google", "settings", Map.of("customer_id", "123-456-7890",
                        "conversion_action", "customers/1234567890/conversionActions/2", "developer_token", "dev",
                        "client_id", "client", "client_secret", "secret", "refresh_token", "refresh"), "base_url", NOWHERE),
                Map.of("type", "tiktok", "name", "TikTok", "settings", Map.of("pixel_code", "C4ABC", "access_token", "tt"),
                        "events", List.of("purchase"), "mode", "attributed", "base_url", NOWHERE),
                Map.of("type", "ga4", "name", "GA4", "settings", Map.of("measurement_id", "G-ABC123", "api_secret", "s"),
                        "base_url", NOWHERE),
                Map.of("type", "webhook", "name", "Hook", "settings", Map.of("url", NOWHERE + "/hook"), "enabled", false));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    /** A valid body with one field changed to another plausible value, to any value, or left out. */
    private static Arbitrary<Map<String, Object>> mutated(Arbitrary<Map<String, Object>> valid, Map<String, Arbitrary<?>> fields) {
        Arbitrary<Map.Entry<String, Object>> change = Arbitraries.of(List.copyOf(fields.keySet())).flatMap(key -> Arbitraries
                .frequencyOf(Tuple.of(3, fields.get(key).map(v -> (Object) v)), Tuple.of(1, value(1)))
                .injectNull(0.2).map(v -> new java.util.AbstractMap.SimpleEntry<>(key, v)));
        return Combinators.combine(valid, change).as((m, c) -> {
            Map<String, Object> out = new java.util.LinkedHashMap<>(m);
            if (c.getValue() == null) out.remove(c.getKey());
            else out.put(c.getKey(), c.getValue());
            return out;
        });
    }

    @Provide
    Arbitrary<Body> adAccountBodies() {
        Map<String, Arbitrary<?>> settings = new java.util.LinkedHashMap<>();
        for (String key : List.of("access_token", "conversion_action", "login_customer_id", "client_id", "developer_token",
                "client_secret", "refresh_token")) {
            settings.put(key, Arbitraries.oneOf(text(), Arbitraries.of("EAAB", "1234567890", "123-456-7890", "dev")));
        }
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("platform", oneOf("meta", "google", "tiktok", "google_ads", "facebook", ""));
        f.put("name", text());
        f.put("account_id", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("1234567890", "act_1234567890",
                "123-456-7890", "7000000000000000000")));
        f.put("settings", object(settings));
        f.put("enabled", oneOf(true, false, "no"));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(
                Map.of("platform", "meta", "name", "Meta ads", "account_id", "1234567890", "settings", Map.of("access_token", "EAAB")),
                Map.of("platform", "google", "name", "Google ads", "account_id", "1234567890", "settings", Map.of("client_id",
                        "client", "developer_token", "dev", "client_secret", "secret", "refresh_token", "refresh")),
                Map.of("platform", "tiktok", "name", "TikTok ads", "account_id", "7000000000000000000", "settings",
                        Map.of("access_token", "tt"), "enabled", false));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    @Provide
    Arbitrary<Body> exportBodies() {
        Map<String, Arbitrary<?>> params = new java.util.LinkedHashMap<>();
        params.put("model", oneOf("last_touch", "linear", "data_driven", "nope"));
        params.put("group_by", oneOf("channel", "campaign", "source", "ad", "x"));
        params.put("window", oneOf("7", "30", "lifetime", "0", "-1"));
        params.put("currency", oneOf("USD", "EUR", "QQQ"));
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("name", text());
        f.put("what", oneOf("attribution_report", "events_log", "report", ""));
        f.put("params", object(params));
        // only addresses that go nowhere: a schedule that came due in the run would send to it
        f.put("folder", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("bi/daily", "../up", "/abs", "a/../b", "ok.dir")));
        f.put("webhook_url", oneOf(NOWHERE + "/export", "https://127.0.0.1:9/export", "ftp://127.0.0.1/", "not a url", ""));
        f.put("webhook_secret", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("0123456789abcdef0123")));
        f.put("hour", Arbitraries.oneOf(number(), oneOf(0, 23, 24, -1, "6")));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(
                Map.of("name", "Daily report", "what", "attribution_report", "params", Map.of("model", "linear", "group_by",
                        "campaign"), "folder", "bi/daily", "hour", 6),
                Map.of("name", "Daily log", "what", "events_log", "webhook_url", NOWHERE + "/export", "hour", 23));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    /** The reads that take filters, each with the query parameters it knows. */
    static final Map<String, List<String>> READS = Map.ofEntries(
            Map.entry("/api/v1/events-log", List.of("request_id", "outcome", "event_name", "email", "identifier", "since",
                    "cursor", "limit", "from", "to", "format")),
            Map.entry("/api/v1/profiles", List.of("identifier", "q", "limit", "cursor")),
            Map.entry("/api/v1/reports/attribution", List.of("from", "to", "group_by", "model", "window", "platform", "events",
                    "value_event", "average", "sort", "hide_empty", "event_name", "interval", "format", "compare")),
            Map.entry("/api/v1/reports/attribution/conversions", List.of("from", "to", "group_by", "group", "model",
                    "event_name", "limit", "cursor")),
            Map.entry("/api/v1/reports/paths", List.of("from", "to", "group_by", "event_name", "limit", "format")),
            Map.entry("/api/v1/reports/traffic", List.of("from", "to", "limit", "format")),
            Map.entry("/api/v1/recognition", List.of("days")),
            Map.entry("/api/v1/saved-views", List.of("page")),
            Map.entry("/admin/v1/audit-log", List.of("from", "to", "actor", "action", "workspace", "limit", "cursor")),
            Map.entry("/admin/v1/set-aside", List.of("workspace", "limit")),
            Map.entry("/admin/v1/workspaces/{ws}/ad-spend", List.of("from", "to")));

    @Provide
    Arbitrary<Map.Entry<String, String>> readRequests() {
        Arbitrary<String> plausible = Arbitraries.of("2026-03-01", "2026-02-30", "2026-03-01T00:00:00Z", "1767225600",
                "yesterday", "last_touch", "linear", "data_driven", "markov", "channel", "campaign", "ad", "day", "week",
                "month", "meta", "google", "purchase", "lead_generated", "accepted", "rejected", "duplicate", "csv", "json",
                "xml", "0", "1", "50", "500", "501", "-1", "99999999999", "true", "false", "lifetime", "30", "revenue:desc",
                "email:fuzz@example.com", "phone:+1 650 555 1212", "token.*", "fuzz-admin", "attribution", "previous_period");
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(3, plausible), Tuple.of(2, text()));
        return Arbitraries.of(List.copyOf(READS.keySet())).flatMap(path -> {
            Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(READS.get(path))),
                    Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)));
            Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            // escapes Java's URI accepts (a malformed one it refuses to send): NUL, bytes that are not UTF-8, empty names
            Arbitrary<String> raw = Arbitraries.of("q=%00", "from=%C3%28", "to=%ED%A0%80", "limit=%2B5", "=x", "&&", "model",
                    "q=" + "a".repeat(3000));
            Arbitrary<String> query = Arbitraries.frequencyOf(Tuple.of(9, pair), Tuple.of(1, raw)).list().ofMaxSize(5)
                    .map(l -> String.join("&", l));
            return query.map(q -> Map.entry(path, q));
        });
    }

    @Provide
    Arbitrary<Body> userBodies() {
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("email", Arbitraries.oneOf(email(), text().map(t -> (Object) t), Arbitraries.integers().between(0, 999)
                .map(n -> (Object) ("invited" + n + "@example.com"))));
        f.put("role", oneOf("owner", "admin", "analyst", "viewer", "OWNER"));
        f.put("workspaces", Arbitraries.oneOf(oneOf("all", "none"), Arbitraries.of("fuzz-admin", "no-such-workspace", "")
                .list().ofMaxSize(3).map(l -> (Object) l)));
        f.put("reset_password", oneOf(true, false, "yes"));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(Map.of("email", "valid-invite@example.com", "role", "analyst",
                "workspaces", "all"), Map.of("role", "admin", "workspaces", List.of("fuzz-admin")), Map.of("reset_password", true));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    @Provide
    Arbitrary<Body> savedViewBodies() {
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("page", oneOf("attribution", "paths", "events", "Attribution", "../etc", ""));
        f.put("name", text());
        f.put("query", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("group_by=campaign&model=linear", "?preset=last_7_days",
                "model=%zz", "a=" + "b".repeat(5000))));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(Map.of("page", "attribution", "name", "Campaigns, linear",
                "query", "group_by=campaign&model=linear"));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    @Provide
    Arbitrary<Body> replayBodies() {
        Map<String, Arbitrary<?>> f = new java.util.LinkedHashMap<>();
        f.put("event_ids", Arbitraries.oneOf(text(), Arbitraries.of("evt_01HZ0000000000000000000000", "")).list().ofMaxSize(3));
        f.put("status", oneOf("dead", "sent", "skipped", "pending", "retrying", "all"));
        Arbitrary<Object> time = Arbitraries.oneOf(number(), oneOf("2026-01-01T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-01-01", "1767225600", "yesterday"));
        f.put("from", time);
        f.put("to", time);
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(Map.of("status", "dead"), Map.of("event_ids",
                List.of("evt_01HZ0000000000000000000000")), Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z"));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    @Provide
    Arbitrary<Body> unmergeBodies() {
        return body(jsonText(object(Map.of("merge_id", Arbitraries.oneOf(number(), text().map(s -> (Object) s))))),
                "application/json");
    }

    // ---- sending and checking ------------------------------------------------------------------------------------

    private static HttpRequest.Builder post(String path, String token, Body body) {
        return request(path, token, body, "POST");
    }

    private static HttpRequest.Builder request(String path, String token, Body body, String method) {
        HttpRequest.Builder b = HttpRequest.newBuilder().method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        b.uri(java.net.URI.create("http://placeholder" + path));
        if (body.contentType() != null) b.header("Content-Type", body.contentType());
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /**
     * Sends the request {@code build} makes to both stores at once (the run takes half as long), checks each answer,
     * and that both stores agree.
     */
    private static void send(Body body, Function<Target, HttpRequest.Builder> build) {
        String client = clientAddress();
        List<java.util.concurrent.CompletableFuture<HttpTestClient.Response>> pending = new ArrayList<>();
        for (Target t : TARGETS) {
            HttpRequest draft = build.apply(t).build();
            String pathAndQuery = draft.uri().getRawPath() + (draft.uri().getRawQuery() == null ? "" : "?" + draft.uri().getRawQuery());
            HttpRequest.Builder real = HttpRequest.newBuilder(java.net.URI.create(t.server().baseUrl() + pathAndQuery))
                    .timeout(java.time.Duration.ofSeconds(30))
                    .method(draft.method(), draft.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
            draft.headers().map().forEach((k, vs) -> vs.forEach(v -> real.header(k, v)));
            real.header("X-Forwarded-For", client);
            pending.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> t.server().http.send(real.build()), SENDERS)
                    .thenApply(r -> {
                        DocumentedAnswers.check(r, t.name() + " " + draft.method() + " " + pathAndQuery + " " + body);
                        return r;
                    }));
        }
        List<HttpTestClient.Response> answers = new ArrayList<>();
        for (var p : pending) {
            try {
                answers.add(p.join());
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof AssertionError a) throw a;
                throw e;
            }
        }
        HttpTestClient.Response a = answers.get(0), b = answers.get(1);
        assertThat(b.status()).as("both stores answer %s alike: %s / %s", body, a.body(), b.body()).isEqualTo(a.status());
        if (a.status() >= 400) assertThat(b.error().get("code")).isEqualTo(a.error().get("code"));
    }

    /** A documentation address of its own (and a /64 of its own) for every request. */
    private static String clientAddress() {
        long n = CLIENTS.incrementAndGet();
        return "2001:db8:" + Long.toHexString((n >> 16) & 0xffff) + ":" + Long.toHexString(n & 0xffff) + "::1";
    }
}
