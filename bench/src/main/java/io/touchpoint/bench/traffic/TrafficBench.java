package io.touchpoint.bench.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.bench.store.BenchStore;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.traffic.VisitorSketch;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.config.Stores;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The traffic report over a month of page views (docs/BENCHMARKS.md#traffic-overview): by default 1,000,000 visitors
 * making about 1,600,000 visits and 5,000,000 page views over the last 30 days, over 5,000 landing pages (Zipf-like)
 * and 200 sources, generated and summed here into the rows the traffic stage writes (traffic_days with each day's
 * visitor sketch, traffic_landing_pages, traffic_sources), then measured over real HTTP against an in-process server:
 * {@code GET /api/v1/reports/traffic} for the 30 days, the first request of the process and then warm, JSON and CSV.
 * The per-visit rows the stage keeps to continue visits are not loaded: the report does not read them. Not a test: it
 * asserts nothing, but prints the report's visitors beside the exact count the generator knows.
 *
 * <pre>
 * bench/run.sh TrafficBench --phase load --dir /tmp/tp-traffic [--visitors 1000000 --page-views 5000000]
 * bench/run.sh TrafficBench --phase measure --dir /tmp/tp-traffic [--db jdbc:postgresql://…]
 * </pre>
 */
public final class TrafficBench {
    private static final String WORKSPACE = "traffic-bench";
    private static final String ADMIN_TOKEN = "tpa_bench_admin_token_not_secret";
    private static final int DAYS = 30;
    private static final int PATHS = 5_000;
    private static final int SOURCES = 200;
    private static final String[] CHANNELS = {"organic_search", "paid_social", "paid_search", "email", "referral",
            "organic_social", "display", "affiliates"};

    public static void main(String[] args) throws Exception {
        BenchStore bench = BenchStore.of(args, "traffic", "/tmp/tp-traffic");
        Path dir = bench.dir();
        String db = bench.db();
        ServerConfig config = bench.config();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (bench.loads()) {
            load(config, db, dir, today.minusDays(DAYS - 1), Integer.parseInt(bench.opt("visitors", "1000000")),
                    Long.parseLong(bench.opt("page-views", "5000000")));
        }
        if (bench.measures()) measure(config, today);
    }

    /** What the generator summed: per day, per day and path, per day and source, as the stage's rollup rows. */
    private static final class Month {
        final long[][] days = new long[DAYS][4]; // visitors, visits, page views, bounces
        final VisitorSketch[] sketches = new VisitorSketch[DAYS];
        final long[][][] pages = new long[DAYS][PATHS][2]; // visits, bounces
        final long[][] sources = new long[DAYS][SOURCES];
        long visits;
        long pageViews;
        int visitors;

        Month() {
            for (int d = 0; d < DAYS; d++) sketches[d] = new VisitorSketch();
        }
    }

    /** An index from 0 to n - 1, the low ones far likelier (about 1/(i+1)), as landing pages and sources are. */
    private static int zipf(SplittableRandom rnd, int n) {
        return (int) Math.min(n - 1, Math.floor(Math.exp(rnd.nextDouble() * Math.log(n + 1)) - 1));
    }

    /**
     * Visitors with one visit or more (geometric, mean 1.6) on random days, each visit of one page view or more
     * (geometric, its mean set so that the page views come near {@code pageViews}).
     */
    private static Month generate(int visitors, long pageViews) {
        SplittableRandom rnd = new SplittableRandom(27);
        Month m = new Month();
        m.visitors = visitors;
        double visitsPerVisitor = 1.6;
        double meanPages = Math.max(1, pageViews / (visitors * visitsPerVisitor));
        boolean[] seen = new boolean[DAYS];
        for (int v = 0; v < visitors; v++) {
            Arrays.fill(seen, false);
            String id = "prf_bench_" + v;
            do {
                int day = rnd.nextInt(DAYS);
                long pages = 1;
                while (rnd.nextDouble() > 1 / meanPages) pages++;
                int path = zipf(rnd, PATHS);
                int source = zipf(rnd, SOURCES);
                long bounce = pages == 1 ? 1 : 0;
                if (!seen[day]) {
                    seen[day] = true;
                    m.days[day][0]++;
                    m.sketches[day].add(id);
                }
                m.days[day][1]++;
                m.days[day][2] += pages;
                m.days[day][3] += bounce;
                m.pages[day][path][0]++;
                m.pages[day][path][1] += bounce;
                m.sources[day][source]++;
                m.visits++;
                m.pageViews += pages;
            } while (rnd.nextDouble() < 1 - 1 / visitsPerVisitor);
        }
        return m;
    }

    private static void load(ServerConfig config, String db, Path dir, LocalDate first, int visitors, long pageViews) throws Exception {
        long t0 = System.nanoTime();
        Month m = generate(visitors, pageViews);
        System.out.printf("generated %,d visitors, %,d visits, %,d page views over %d days in %.1f s%n", m.visitors, m.visits,
                m.pageViews, DAYS, (System.nanoTime() - t0) / 1e9);
        try (Store store = Stores.open(config)) {
            if (store.workspaces().list().stream().anyMatch(x -> x.name().equals(WORKSPACE))) {
                throw new IllegalStateException("the database already holds a benchmark workspace: load into an empty one");
            }
            Workspace ws = new Workspaces(store, Clock.systemUTC()).create(WORKSPACE,
                    new WorkspaceSettings("UTC", "USD", "US", WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE)).workspace();
            t0 = System.nanoTime();
            long rows = 0;
            try (Connection c = BenchStore.bulkConnection(db, dir)) {
                c.setAutoCommit(false);
                try (PreparedStatement day = c.prepareStatement("INSERT INTO traffic_days (workspace_id, day, visitors, visits,"
                        + " page_views, bounces, sketch) VALUES (?, ?, ?, ?, ?, ?, ?)");
                     PreparedStatement page = c.prepareStatement("INSERT INTO traffic_landing_pages (workspace_id, day, path,"
                             + " visits, bounces) VALUES (?, ?, ?, ?, ?)");
                     PreparedStatement source = c.prepareStatement("INSERT INTO traffic_sources (workspace_id, day, source,"
                             + " channel, visits) VALUES (?, ?, ?, ?, ?)")) {
                    for (int d = 0; d < DAYS; d++) {
                        String date = first.plusDays(d).toString();
                        Object[] values = {ws.id(), date, m.days[d][0], m.days[d][1], m.days[d][2], m.days[d][3], m.sketches[d].toBytes()};
                        for (int i = 0; i < values.length; i++) day.setObject(i + 1, values[i]);
                        day.addBatch();
                        for (int p = 0; p < PATHS; p++) {
                            if (m.pages[d][p][0] == 0) continue;
                            page.setString(1, ws.id());
                            page.setString(2, date);
                            page.setString(3, p == 0 ? "/" : "/products/item-" + p);
                            page.setLong(4, m.pages[d][p][0]);
                            page.setLong(5, m.pages[d][p][1]);
                            page.addBatch();
                            rows++;
                        }
                        for (int s = 0; s < SOURCES; s++) {
                            if (m.sources[d][s] == 0) continue;
                            source.setString(1, ws.id());
                            source.setString(2, date);
                            source.setString(3, s == 0 ? "(direct)" : "source-" + s + ".example");
                            source.setString(4, s == 0 ? "direct" : CHANNELS[s % CHANNELS.length]);
                            source.setLong(5, m.sources[d][s]);
                            source.addBatch();
                            rows++;
                        }
                        day.executeBatch();
                        page.executeBatch();
                        source.executeBatch();
                    }
                }
                c.commit();
                if (db != null) {
                    c.setAutoCommit(true);
                    try (Statement s = c.createStatement()) {
                        s.execute("ANALYZE");
                    }
                }
            }
            System.out.printf("loaded %d day rows and %,d landing page and source rows in %.1f s%n", DAYS, rows,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void measure(ServerConfig config, LocalDate today) throws Exception {
        Store store = Stores.open(config);
        try (TouchpointServer server = TouchpointServer.start(config, store, new AdminCredential(store.settings(), ADMIN_TOKEN),
                Clock.systemUTC())) {
            Workspace ws = store.workspaces().list().stream().filter(x -> x.name().equals(WORKSPACE)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no benchmark workspace: run --phase load first"));
            String token = new Workspaces(store, Clock.systemUTC()).createToken(ws.id(), "bench-" + System.nanoTime(),
                    Set.of(Scope.READ)).secret();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String range = "/api/v1/reports/traffic?from=" + today.minusDays(DAYS - 1) + "&to=" + today;
            System.out.printf("%nrange %s .. %s (%d days), load %s%n", today.minusDays(DAYS - 1), today, DAYS, BenchStore.loadAverage());
            long t = System.nanoTime();
            String body = get(http, server.baseUrl() + range, token);
            System.out.printf("traffic report, first request of the process %7.1f ms%n", (System.nanoTime() - t) / 1e6);
            // the first of another range: the server's own warm-up (classes, JIT, connections) already paid
            t = System.nanoTime();
            get(http, server.baseUrl() + "/api/v1/reports/traffic?from=" + today.minusDays(DAYS - 2) + "&to=" + today.minusDays(1), token);
            System.out.printf("traffic report, first request of another 29 days %7.1f ms%n", (System.nanoTime() - t) / 1e6);
            JsonNode totals = new ObjectMapper().readTree(body).path("data").path("totals");
            System.out.printf("  totals: %,d visitors (estimated), %,d visits, %,d page views, bounce rate %.3f%n",
                    totals.path("visitors").asLong(), totals.path("visits").asLong(), totals.path("page_views").asLong(),
                    totals.path("bounce_rate").asDouble());
            for (String variant : new String[]{"", "&limit=100", "&limit=100&format=csv"}) {
                double[] ms = new double[20];
                for (int i = 0; i < ms.length; i++) {
                    long t1 = System.nanoTime();
                    get(http, server.baseUrl() + range + variant, token);
                    ms[i] = (System.nanoTime() - t1) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("traffic report%-22s warm: median %6.1f ms, min %6.1f ms, max %6.1f ms (20 runs)%n",
                        variant.isEmpty() ? " (limit 10)" : " " + variant.substring(1), ms[ms.length / 2], ms[0], ms[ms.length - 1]);
            }
            System.out.printf("load at the end %s%n", BenchStore.loadAverage());
        } finally {
            store.close();
        }
    }

    private static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }
}
