package io.touchpoint.bench.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.bench.store.BenchStore;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.touchpoint.Channel;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.core.touchpoint.Touchpoint;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.attribution.DataDrivenRuns;
import io.touchpoint.server.attribution.PathRuns;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.config.Stores;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attribution benchmark: a synthetic workspace (by default 1,000,000 conversions and 5,000,000
 * touchpoints of 600,000 people over 60 days, see {@link AttributionWorkload}) bulk-loaded into the tables the
 * processor fills ({@link AttributionLoader}), a sample of it checked against the real {@link ConversionCredits}
 * through the store's receipts, then measured over real HTTP against an in-process server: the data-driven
 * recomputation ({@code POST /api/v1/reports/attribution/recompute}), the full report for all models over the last
 * 30 days (first request of the process, then warm), the conversion paths' count, every other report ({@link ReportRequests}:
 * the report engine's windows, models, groupings and columns, the CSV, drill-down, people list and paths), and receipts
 * of random conversions — each with the peak heap used while it ran (sampled every 5 ms). Not a test: it asserts nothing.
 *
 * <pre>
 * BENCH_JVM_OPTS=-Xmx1g bench/run.sh AttributionBench --phase load --dir /tmp/tp-attr
 * BENCH_JVM_OPTS=-Xmx2g bench/run.sh AttributionBench --phase measure --dir /tmp/tp-attr
 *     [--db jdbc:postgresql://…] [--people 600000 --touchpoints 5000000 --conversions 1000000] [--receipts 5000]
 *     [--recompute false] (the reports alone, without the data-driven recomputations and path counts)
 *     [--first engine] (the report engine's request first, before the rollup's: it waits for the start's index read)
 *     [--starts 2] (measures that many starts of the server one after another, each in a JVM of its own so that each
 *     start's first requests meet a cold JIT: the first may read the report index from the store and write its
 *     snapshot, the next read that snapshot)
 * </pre>
 */
public final class AttributionBench {
    private static final String WORKSPACE = "attribution-bench";
    private static final String ADMIN_TOKEN = "tpa_bench_admin_token_not_secret";
    private static final int DAYS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        BenchStore bench = BenchStore.of(args, "attribution", "/tmp/tp-attrbench");
        Path dir = bench.dir();
        String db = bench.db();
        ServerConfig config = bench.config();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long start = today.plusDays(1 - DAYS).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        if (bench.loads()) {
            int people = Integer.parseInt(bench.opt("people", "600000"));
            int touchpoints = Integer.parseInt(bench.opt("touchpoints", "5000000"));
            int conversions = Integer.parseInt(bench.opt("conversions", "1000000"));
            load(config, db, dir, new AttributionWorkload(people, start, DAYS), touchpoints, conversions);
        }
        if (bench.measures()) {
            int starts = Integer.parseInt(bench.opt("starts", "2"));
            if (starts > 1) {
                for (int i = 1; i <= starts; i++) {
                    System.out.printf("%n==== start %d of %d (a JVM of its own) ====%n", i, starts);
                    separateJvm(args);
                }
                return;
            }
            measure(config, db, dir, today, Integer.parseInt(bench.opt("receipts", "5000")),
                    !bench.opt("recompute", "true").equals("false"), bench.opt("first", "rollup").equals("engine"));
        }
    }

    /** Runs this program's measure phase once in a new JVM with this one's options, and waits for it. */
    private static void separateJvm(String[] args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AttributionBench.class.getName()));
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of("--phase", "measure", "--starts", "1"));
        int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (exit != 0) throw new IllegalStateException("the measuring JVM exited with " + exit);
    }

    // ---- load ----

    private static void load(ServerConfig config, String db, Path dir, AttributionWorkload w, int touchpoints, int conversions)
            throws Exception {
        long t0 = System.nanoTime();
        w.generate(touchpoints, conversions, 7);
        System.out.printf("generated %,d touchpoints and %,d conversions of %,d people over %d days in %.1f s%n",
                touchpoints, conversions, w.people, DAYS, (System.nanoTime() - t0) / 1e9);
        try (Store store = Stores.open(config)) {
            if (store.workspaces().list().stream().anyMatch(x -> x.name().equals(WORKSPACE))) {
                throw new IllegalStateException("the database already holds a benchmark workspace: load into an empty one");
            }
            Workspace ws = new Workspaces(store, Clock.systemUTC()).create(WORKSPACE,
                    new WorkspaceSettings("UTC", "USD", "US", WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE)).workspace();
            t0 = System.nanoTime();
            try (Connection c = BenchStore.bulkConnection(db, dir)) {
                if (db == null) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA synchronous = OFF");
                        s.execute("PRAGMA cache_size = -262144");
                    }
                }
                new AttributionLoader(c, ws.id(), w).load();
                if (db != null) {
                    try (Statement s = c.createStatement()) { // the loader chose the ids; later inserts must not collide
                        s.execute("SELECT setval(pg_get_serial_sequence('attribution_touchpoints', 'id'),"
                                + " (SELECT MAX(id) FROM attribution_touchpoints))");
                        s.execute("SELECT setval(pg_get_serial_sequence('attribution_touch_shapes', 'id'),"
                                + " (SELECT MAX(id) FROM attribution_touch_shapes))");
                        c.commit();
                        c.setAutoCommit(true);
                        s.execute("ANALYZE");
                    }
                }
            }
            System.out.printf("loaded in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            verify(store, ws, w, db, dir);
        }
    }

    /**
     * Checks 1,000 random conversions: the store's receipt must show the path and credits the real ConversionCredits
     * computes from the touchpoints stored for the profile; and the rollup must reconcile with the conversions.
     */
    private static void verify(Store store, Workspace ws, AttributionWorkload w, String db, Path dir) throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        int checked = 0;
        int wrong = 0;
        int wrongPaths = 0;
        try (Connection c = connect(db, dir);
             PreparedStatement paths = c.prepareStatement("SELECT path FROM attribution_profile_paths WHERE workspace_id = ?"
                     + " AND profile_id = ?");
             PreparedStatement ps = c.prepareStatement("SELECT id, started_at, last_seen_at, source, medium, campaign, term,"
                     + " content, click_id_type, click_id, platform, channel FROM attribution_touchpoints"
                     + " WHERE workspace_id = ? AND canonical_id = ?")) {
            for (int n = 0; n < 1000; n++) {
                int i = rnd.nextInt(w.convTime.length);
                ps.setString(1, ws.id());
                ps.setString(2, AttributionLoader.profileId(w, w.convPerson[i]));
                List<StoredTouch> touches = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) touches.add(new StoredTouch(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), new Touchpoint(rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getString(9) == null ? null
                            : IdentifierType.fromWireName(rs.getString(9)).orElseThrow(), rs.getString(10),
                            Platform.valueOf(rs.getString(11).toUpperCase(Locale.ROOT)),
                            Channel.valueOf(rs.getString(12).toUpperCase(Locale.ROOT)))));
                }
                ConversionCredits expected = ConversionCredits.compute(Instant.ofEpochMilli(w.convTime[i]), touches,
                        AttributionSettings.DEFAULTS);
                Receipt r = store.attribution().receipt(ws.id(), AttributionLoader.conversionEventId(w, i)).orElseThrow();
                checked++;
                if (!same(expected, r)) wrong++;
                // the profile's compact path names the same touchpoints, in time then id order
                paths.setString(1, ws.id());
                paths.setString(2, AttributionLoader.profileId(w, w.convPerson[i]));
                List<Long> pathIds = new ArrayList<>();
                try (ResultSet rs = paths.executeQuery()) {
                    if (rs.next()) for (String e : rs.getString(1).split(";")) pathIds.add(Long.parseLong(e.split(":")[1]));
                }
                List<Long> touchIds = touches.stream().sorted(java.util.Comparator.comparing(StoredTouch::time)
                        .thenComparingLong(StoredTouch::id)).map(StoredTouch::id).toList();
                if (!pathIds.equals(touchIds)) wrongPaths++;
            }
        }
        System.out.printf("check: %,d random receipts against ConversionCredits over the stored touchpoints: %,d differ;"
                + " their profile paths: %,d differ from the touchpoints%n", checked, wrong, wrongPaths);
        LocalDate from = LocalDate.ofInstant(Instant.ofEpochMilli(w.start), ZoneOffset.UTC);
        var q = new io.touchpoint.core.attribution.report.ReportQuery(ws.id(), from, from.plusDays(DAYS - 1),
                GroupBy.CHANNEL, List.of(AttributionModel.values()), null, false);
        long total = store.attribution().totals(q).stream().mapToLong(t -> t.conversions()).sum();
        Map<AttributionModel, Double> credited = new LinkedHashMap<>();
        store.attribution().credits(q).forEach(cell -> credited.merge(cell.model(), cell.conversions(), Double::sum));
        System.out.printf("check: %,d conversions stored; credited per model: %s%n", total, credited);
        if (wrong > 0 || wrongPaths > 0) throw new IllegalStateException("the loaded data differ from what the stage computes");
    }

    private static boolean same(ConversionCredits expected, Receipt r) {
        if (expected.path().size() != r.path().size()) return false;
        for (int p = 0; p < r.path().size(); p++) {
            StoredTouch t = expected.path().get(p);
            Receipt.Step s = r.path().get(p);
            if (s.touchpointId() != t.id() || !s.time().equals(t.time())) return false;
            if (!s.touchpoint().channel().equals(t.touchpoint().channel())
                    || !java.util.Objects.equals(s.touchpoint().campaign(), t.touchpoint().campaign())) return false;
            for (AttributionModel m : AttributionModel.RULE_BASED) {
                if (Math.abs(s.credits().get(m) - expected.credits().get(m)[p]) > 1e-12) return false;
            }
        }
        return true;
    }

    // ---- measure ----

    private static void measure(ServerConfig config, String db, Path dir, LocalDate today, int receipts, boolean recompute,
                                boolean engineFirst)
            throws Exception {
        Store store = Stores.open(config);
        store.workspaces().list().stream().filter(x -> x.name().equals(WORKSPACE)).findFirst().ifPresent(w -> {
            Path snapshot = config.reportSnapshotDirEffective() == null ? null
                    : config.reportSnapshotDirEffective().resolve(w.id() + ".index");
            try {
                System.out.println(snapshot != null && java.nio.file.Files.exists(snapshot) ? String.format(
                        "report index snapshot present: %s, %d MB, written %s", snapshot, java.nio.file.Files.size(snapshot) >> 20,
                        java.nio.file.Files.getLastModifiedTime(snapshot)) : "no report index snapshot: the start reads the index from the store");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (TouchpointServer server = TouchpointServer.start(config, store, new AdminCredential(store.settings(), ADMIN_TOKEN),
                Clock.systemUTC())) {
            Workspace ws = store.workspaces().list().stream().filter(x -> x.name().equals(WORKSPACE)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no benchmark workspace: run --phase load first"));
            String token = new Workspaces(store, Clock.systemUTC()).createToken(ws.id(), "bench-" + System.nanoTime(),
                    Set.of(Scope.READ)).secret();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.baseUrl();
            String range = "from=" + today.minusDays(29) + "&to=" + today;
            Http get = path -> send(http, HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .GET().build());
            Http post = path -> send(http, HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build());

            System.out.printf("%nrange %s .. %s (30 days), load %s%n", today.minusDays(29), today, BenchStore.loadAverage());
            if (recompute) recompute(store, ws, today, post, range);
            String report = "/api/v1/reports/attribution?" + range + "&group_by=channel&model=all";
            ReportRequests reports = new ReportRequests(get, today);
            if (engineFirst) reports.engineIndex(); // the process's first request: waits for the start's read
            Timed<String> cold = timed(() -> get.call(report));
            System.out.printf("report, all models, group_by=channel, first request %7.1f ms   cpu %6.2f s   peak heap %5d MB%n",
                    cold.seconds * 1e3, cold.cpuSeconds, cold.peakHeapMb);
            reconcile(cold.value);
            for (String g : List.of("channel", "campaign")) {
                String path = "/api/v1/reports/attribution?" + range + "&group_by=" + g + "&model=all";
                Timed<double[]> warm = warm(get, path);
                double[] ms = warm.value;
                System.out.printf("report, all models, group_by=%-8s warm: median %6.1f ms, min %6.1f ms, max %6.1f ms (20 runs)"
                        + "   cpu %5.0f ms per report   peak heap %5d MB%n", g, ms[ms.length / 2], ms[0], ms[ms.length - 1],
                        warm.cpuSeconds * 1e3 / ms.length, warm.peakHeapMb);
            }
            String daily = "/api/v1/reports/attribution?" + range + "&group_by=channel&model=all&interval=day";
            get.call(daily);
            long t = System.nanoTime();
            get.call(daily);
            System.out.printf("report, all models, group_by=channel, interval=day (warm) %7.1f ms%n", (System.nanoTime() - t) / 1e6);

            if (!engineFirst) reports.engineIndex();
            try (Connection c = connect(db, dir)) {
                reports.afterChange(c, ws.id(), today);
            }
            reports.reports();
            System.out.printf("load %s%n", BenchStore.loadAverage());

            List<String> ids = sample(db, dir, ws, receipts);
            Timed<long[]> rec = timed(() -> {
                long[] nanos = new long[ids.size()];
                for (int i = 0; i < ids.size(); i++) {
                    long t1 = System.nanoTime();
                    get.call("/api/v1/conversions/" + ids.get(i) + "/attribution");
                    nanos[i] = System.nanoTime() - t1;
                }
                return nanos;
            });
            long[] nanos = rec.value;
            Arrays.sort(nanos);
            System.out.printf("receipts of %,d random conversions (one client, sequential): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms,"
                            + " max %.2f ms   cpu %.2f ms per receipt   peak heap %d MB%n", nanos.length, pct(nanos, 50), pct(nanos, 95), pct(nanos, 99),
                    nanos[nanos.length - 1] / 1e6, rec.cpuSeconds * 1e3 / nanos.length, rec.peakHeapMb);
            System.out.printf("load at the end %s%n", BenchStore.loadAverage());
        } finally {
            store.close();
        }
    }

    /** The data-driven runs and path counts, computed directly and through the API. */
    private static void recompute(Store store, Workspace ws, LocalDate today, Http post, String range) throws Exception {
        for (GroupBy g : List.of(GroupBy.CHANNEL, GroupBy.CAMPAIGN)) {
            Timed<long[]> read = timed(() -> {
                long[] n = new long[2];
                store.attribution().journeys(ws.id(), today.minusDays(29), today, null, g, j -> {
                    n[0]++;
                    if (j.converted()) n[1]++;
                });
                return n;
            });
            System.out.printf("journeys read alone (AttributionStore.journeys), group_by=%-8s %7.2f s   %,d journeys (%,d converting)"
                    + "   cpu %6.2f s   peak heap %5d MB%n", g.wireName(), read.seconds, read.value[0], read.value[1], read.cpuSeconds, read.peakHeapMb);
        }
        try (DataDrivenRuns runs = new DataDrivenRuns(store.attribution(), store.workspaces(), Clock.systemUTC(), null)) {
            for (GroupBy g : List.of(GroupBy.CHANNEL, GroupBy.CAMPAIGN, GroupBy.CHANNEL, GroupBy.SOURCE, GroupBy.TERM)) {
                Timed<DataDrivenRuns.Run> r = timed(() -> runs.recompute(ws.id(), today.minusDays(29), today, g, null));
                System.out.printf("recompute Markov + Shapley (DataDrivenRuns), group_by=%-8s %7.2f s   %4d groups   cpu %6.2f s   peak heap %5d MB%n",
                        g.wireName(), r.seconds, r.value.credits().get(AttributionModel.MARKOV).size(), r.cpuSeconds, r.peakHeapMb);
            }
            PathRuns paths = new PathRuns(store.attribution(), store.workspaces(), runs, Clock.systemUTC());
            for (GroupBy g : List.of(GroupBy.CHANNEL, GroupBy.CAMPAIGN, GroupBy.CHANNEL)) {
                Timed<PathRuns.Run> r = timed(() -> paths.recompute(new ReportQuery(ws.id(), today.minusDays(29), today, g,
                        List.of(), null, false)));
                System.out.printf("recount conversion paths (PathRuns), group_by=%-8s %7.2f s   %,d conversions, %,d paths   cpu %6.2f s"
                        + "   peak heap %5d MB%n", g.wireName(), r.seconds, r.value.result().conversions(),
                        r.value.result().distinctPaths(), r.cpuSeconds, r.peakHeapMb);
            }
        }
        Timed<String> viaHttp = timed(() -> post.call("/api/v1/reports/attribution/recompute?" + range + "&group_by=channel"));
        System.out.printf("POST /api/v1/reports/attribution/recompute (recompute + report), group_by=channel %7.2f s   peak heap %5d MB%n",
                viaHttp.seconds, viaHttp.peakHeapMb);
    }

    /** Twenty requests of a path one after another: each one's milliseconds, sorted. */
    static Timed<double[]> warm(Http get, String path) throws Exception {
        Timed<double[]> warm = timed(() -> {
            double[] ms = new double[20];
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                get.call(path);
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            return ms;
        });
        Arrays.sort(warm.value);
        return warm;
    }

    /** The report's totals and every model's credits must agree (Markov and Shapley included). */
    private static void reconcile(String body) throws Exception {
        JsonNode data = JSON.readTree(body);
        JsonNode d = data.has("data") ? data.get("data") : data;
        double total = d.path("totals").path("conversions").asDouble();
        Map<String, Double> byModel = new LinkedHashMap<>();
        for (JsonNode row : d.path("rows")) {
            row.path("models").fields().forEachRemaining(e -> byModel.merge(e.getKey(), e.getValue().path("conversions").asDouble(),
                    Double::sum));
        }
        System.out.printf("  report totals %,.0f conversions; credited per model: %s%n", total, byModel);
    }

    /** {@code n} conversions drawn at random from the whole workspace. */
    private static List<String> sample(String db, Path dir, Workspace ws, int n) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db, dir);
             PreparedStatement ps = c.prepareStatement("SELECT event_id FROM attribution_conversions WHERE workspace_id = ?"
                     + " ORDER BY random() LIMIT ?")) {
            ps.setString(1, ws.id());
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Connection connect(String db, Path dir) throws Exception {
        return db == null ? DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))
                : DriverManager.getConnection(db);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    interface Http {
        String call(String path) throws Exception;
    }

    private static String send(HttpClient http, HttpRequest r) throws Exception {
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) throw new IllegalStateException(r.uri() + " answered " + resp.statusCode() + ": " + resp.body());
        return resp.body();
    }

    /** {@code cpuSeconds}: CPU time of the whole JVM meanwhile (server, client, GC), to tell work from waiting on shared cores. */
    record Timed<T>(T value, double seconds, long peakHeapMb, double cpuSeconds) {
    }

    /** Runs the work after a full collection, sampling the heap in use every 5 ms; the peak includes garbage not yet collected. */
    static <T> Timed<T> timed(Callable<T> work) throws Exception {
        System.gc();
        var memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = Thread.ofPlatform().daemon(true).start(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        T value = work.call();
        double seconds = (System.nanoTime() - t) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        done.set(true);
        sampler.join();
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        return new Timed<>(value, seconds, peak.get() >> 20, cpuSeconds);
    }
}
