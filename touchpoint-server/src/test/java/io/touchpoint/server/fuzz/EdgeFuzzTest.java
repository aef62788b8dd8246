package io.touchpoint.server.fuzz;

import io.touchpoint.core.admin.CreatedWorkspace;
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
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.touchpoint.server.fuzz.FuzzBodies.EVENT_NAMES;
import static io.touchpoint.server.fuzz.FuzzBodies.body;
import static io.touchpoint.server.fuzz.FuzzBodies.email;
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
    /** Bodies per admin endpoint (destinations, ad accounts, exports, users, saved views): each made thing is kept. */
    private static final int ADMIN_TRIES = 400;
    private static final String NOWHERE = AdminRequests.NOWHERE;
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
                  String profile, String destination, String testedDestination, String user) {
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
        // a destination only test events go to (no change is fuzzed on it), sent to the closed port
        HttpTestClient.Response tested = s.http.postJson("/admin/v1/workspaces/" + admin.workspace().id() + "/destinations",
                TestServer.ADMIN_TOKEN, "{\"type\":\"meta\",\"name\":\"fuzz meta\",\"base_url\":\"" + NOWHERE
                        + "\",\"settings\":{\"pixel_id\":\"1234567890\",\"access_token\":\"EAAB\"}}");
        assertThat(tested.status()).as(tested.body()).isEqualTo(201);
        HttpTestClient.Response u = s.http.postJson("/admin/v1/users", TestServer.ADMIN_TOKEN,
                "{\"email\":\"fuzzed@example.com\",\"role\":\"analyst\",\"workspaces\":[\"" + admin.workspace().id() + "\"]}");
        assertThat(u.status()).as(u.body()).isEqualTo(201);
        return new Target(name, s, c.workspace().id(), c.token().secret(), f.mark(), c.workspace().pixelKey(),
                admin.workspace().id(), profile, (String) d.json().get("id"), (String) tested.json().get("id"),
                (String) u.json().get("id"));
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
            deleteListed(t, list, id -> list + "/" + id, Set.of());
        }
    }

    /** The destinations a run made are deleted again, through the API, so that their senders stop. */
    @AfterProperty
    void madeDestinationsDeleted() {
        for (Target t : TARGETS) {
            deleteListed(t, "/admin/v1/workspaces/" + t.adminWs() + "/destinations", id -> "/admin/v1/destinations/" + id,
                    Set.of(t.destination(), t.testedDestination()));
        }
    }

    /** Deletes every item {@code list} answers but those in {@code kept}, each at the path {@code one} gives its id. */
    private static void deleteListed(Target t, String list, Function<Object, String> one, Set<String> kept) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) t.server().http.get(list, TestServer.ADMIN_TOKEN).json().get("data");
        for (Map<String, Object> item : all) {
            if (kept.contains(item.get("id"))) continue;
            HttpTestClient.Response r = t.server().http.delete(one.apply(item.get("id")), TestServer.ADMIN_TOKEN);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
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

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void destinationCreates(@ForAll("destinationBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/destinations", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void destinationChanges(@ForAll("destinationBodies") Body body) {
        send(body, t -> request("/admin/v1/destinations/" + t.destination(), TestServer.ADMIN_TOKEN, body, "PATCH"));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void destinationTestEvents(@ForAll("destinationTestBodies") Body body) {
        send(body, t -> post("/admin/v1/destinations/" + t.testedDestination() + "/test", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void replays(@ForAll("replayBodies") Body body) {
        send(body, t -> post("/admin/v1/destinations/" + t.destination() + "/replay", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void adAccountConnections(@ForAll("adAccountBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/ad-accounts", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void exportSchedules(@ForAll("exportBodies") Body body) {
        send(body, t -> post("/admin/v1/workspaces/" + t.adminWs() + "/exports", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void userInvites(@ForAll("userBodies") Body body) {
        send(body, t -> post("/admin/v1/users", TestServer.ADMIN_TOKEN, body));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void userChanges(@ForAll("userBodies") Body body) {
        send(body, t -> request("/admin/v1/users/" + t.user(), TestServer.ADMIN_TOKEN, body, "PATCH"));
    }

    @Property(tries = ADMIN_TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void savedViews(@ForAll("savedViewBodies") Body body) {
        send(body, t -> post("/api/v1/saved-views", t.token(), body));
    }

    /** A read with generated filters: a path of {@link AdminRequests#READS} and its query string. */
    @Property(tries = TRIES, afterFailure = AfterFailureMode.RANDOM_SEED, edgeCases = EdgeCasesMode.NONE)
    void readFilters(@ForAll("readRequests") Map.Entry<String, String> read) {
        Body none = new Body(new byte[0], null);
        boolean admin = read.getKey().startsWith("/admin/");
        send(none, t -> request(read.getKey().replace("{ws}", t.adminWs()) + "?" + read.getValue(),
                admin ? TestServer.ADMIN_TOKEN : t.token(), none, "GET"));
    }

    // ---- generators ----------------------------------------------------------------------------------------------

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
                StandardCharsets.UTF_8).replace("%MARK%", mark)
                .getBytes(StandardCharsets.UTF_8), b.contentType()));
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
        return AdminRequests.destinations();
    }

    @Provide
    Arbitrary<Body> adAccountBodies() {
        return AdminRequests.adAccounts();
    }

    @Provide
    Arbitrary<Body> exportBodies() {
        return AdminRequests.exports();
    }

    @Provide
    Arbitrary<Map.Entry<String, String>> readRequests() {
        return AdminRequests.reads();
    }

    @Provide
    Arbitrary<Body> userBodies() {
        return AdminRequests.users();
    }

    @Provide
    Arbitrary<Body> savedViewBodies() {
        return AdminRequests.savedViews();
    }

    @Provide
    Arbitrary<Body> destinationTestBodies() {
        return body(jsonText(object(Map.of("event_name", Arbitraries.oneOf(Arbitraries.of(EVENT_NAMES).map(n -> (Object) n),
                text().map(t -> (Object) t)), "test_event_code", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("TEST12345"))))),
                "application/json");
    }

    @Provide
    Arbitrary<Body> replayBodies() {
        return AdminRequests.replays();
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

    /** A read whose query asks for CSV ({@code format=csv}), which such a read answers as CSV when it succeeds. */
    private static boolean asksForCsv(HttpRequest r) {
        String query = r.uri().getRawQuery();
        if (!r.method().equals("GET") || query == null) return false;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            try {
                String name = java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                if (name.equals("format") && value.equals("csv")) return true;
            } catch (IllegalArgumentException e) {
                // a malformed escape: the server refuses the query, in JSON
            }
        }
        return false;
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
                        DocumentedAnswers.check(r, t.name() + " " + draft.method() + " " + pathAndQuery + " " + body,
                                asksForCsv(draft));
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
