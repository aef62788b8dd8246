package io.touchpoint.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The HTTP load generator for the ingest path. It starts the real server in this JVM (or targets one with
 * {@code --url}) and runs, over loopback with keep-alive connections:
 * <ul>
 *   <li>{@code noop}: GET /noop, closed loop — the HTTP stack's own ceiling on this machine;</li>
 *   <li>{@code single}: one event per POST /public-api/v1/events, closed loop, durable acknowledgement;</li>
 *   <li>{@code able}: one Able webhook purchase per POST /uip-events/event, closed loop at the {@code single}
 *   concurrency, so the two routes compare;</li>
 *   <li>{@code batch}: 100 events per POST /public-api/v1/events/batch, closed loop;</li>
 *   <li>{@code steady}: single events open-loop at a fixed rate, latency from the intended send time.</li>
 * </ul>
 * With {@code --stores sqlite,postgres} it runs the scenarios on an in-process server over SQLite, then again
 * on one over PostgreSQL ({@code --db}), and compares them. It prints a table per store and writes the figures as JSON. Only 2xx answers count as throughput; every other
 * answer and every transport failure is counted and reported, and after each event scenario the store
 * must hold exactly the events the server acknowledged.
 */
@Command(name = "run-ingest.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load-test the ingest path of a real Touchpoint server over loopback (see docs/BENCHMARKS.md).",
        footer = {"",
                "Examples:",
                "  run-ingest.sh                                       SQLite: noop, single, batch, steady",
                "  run-ingest.sh --stores sqlite,postgres              the same on SQLite, then on a throwaway PostgreSQL",
                "                                                      server (bin/test-postgres.sh), compared side by side",
                "  run-ingest.sh --stores postgres --db jdbc:postgresql://127.0.0.1:5432/tp?user=tp",
                "  run-ingest.sh --scenarios single,able               the Able webhook against the Cometly single route",
                "",
                "Exit status: 0 clean, 1 the store holds fewer events than acknowledged, 2 usage error, 3 failed requests."})
public final class IngestLoad implements Callable<Integer> {
    @Option(names = "--scenarios", split = ",", defaultValue = "noop,single,batch,steady",
            description = "scenarios to run, in order: noop, single, able, batch, steady (default: ${DEFAULT-VALUE}). "
                    + "able posts the Able seed purchase to /uip-events/event at --single-connections")
    List<String> scenarios;

    @Option(names = "--stores", split = ",", paramLabel = "STORE",
            description = "stores of the in-process server, run one after the other with the same scenarios and "
                    + "compared: sqlite, postgres or sqlite,postgres (default: postgres with --db, else sqlite). "
                    + "run-ingest.sh starts a throwaway PostgreSQL server when postgres is asked for without --db")
    List<String> stores;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "PostgreSQL for the in-process server (config key db), e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/touchpoint?user=touchpoint; commits use synchronous_commit=on")
    String db;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
            description = "measured window per scenario (default: ${DEFAULT-VALUE})")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
            description = "warm-up at the same load before each window, not counted (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--jit-warmup", defaultValue = "10", paramLabel = "SECONDS",
            description = "before any window, each scenario runs this long once, unmeasured, so the JIT has compiled "
                    + "the code all scenarios share and the first one is not measured colder (0: skip; default: ${DEFAULT-VALUE})")
    int jitWarmupSeconds;

    @Option(names = "--noop-connections", defaultValue = "128", description = "default: ${DEFAULT-VALUE}")
    int noopConnections;

    @Option(names = "--single-connections", defaultValue = "128",
            description = "for single and able, so that the two routes compare (default: ${DEFAULT-VALUE})")
    int singleConnections;

    @Option(names = "--batch-connections", defaultValue = "8", description = "default: ${DEFAULT-VALUE}")
    int batchConnections;

    @Option(names = "--batch-size", defaultValue = "100", description = "events per batch request (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--steady-rate", defaultValue = "2000", paramLabel = "EVENTS_PER_SECOND",
            description = "open-loop rate of single events (default: ${DEFAULT-VALUE})")
    int steadyRate;

    @Option(names = "--steady-max-connections", defaultValue = "256",
            description = "connections the open loop may open; beyond, requests queue in the client, "
                    + "still timed from their intended send time (default: ${DEFAULT-VALUE})")
    int steadyMaxConnections;

    @Option(names = "--client", defaultValue = "jetty", description = "jetty or jdk (default: ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--url", description = "target a running server instead of starting one (needs --token); "
            + "several, comma-separated, take the requests in turn (Kafka mode nodes behind a load balancer)")
    String url;

    @Option(names = "--token", description = "ingest token for --url (or env TOUCHPOINT_BENCH_TOKEN); "
            + "give its workspace a rate limit above the load (workspace create --rate-limit)")
    String token;

    @Option(names = "--funnel-mark", description = "with --url: the mark of a funnel of the token's workspace, for the able scenario")
    String funnelMark;

    @Option(names = "--data", paramLabel = "DIR",
            description = "data folder of the in-process server (default: a new temporary folder, deleted after)")
    Path data;

    @Option(names = "--keep-data", description = "keep the temporary data folder")
    boolean keepData;

    @Option(names = "--storage-sync", defaultValue = "full",
            description = "SQLite: full (durable acknowledgement, the product default) or normal (default: ${DEFAULT-VALUE}); "
                    + "PostgreSQL always commits with synchronous_commit=on")
    String storageSync;

    @Option(names = "--results", defaultValue = "bench/results", paramLabel = "DIR",
            description = "where the JSON result goes (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--quiet", description = "no per-second progress lines")
    boolean quiet;

    private static final int DEFAULT_STEADY_RATE = 2000;
    private static final List<String> SCENARIOS = List.of("noop", "single", "able", "batch", "steady");

    /** One store's run: every scenario on one target. */
    private record StoreRun(String store, String target, Boolean durable, List<Row> rows, Map<String, Double> ratios,
                            List<Map<String, Object>> targets) {
    }

    public static void main(String[] args) {
        // the script passes --results first; a later one from the caller wins
        System.exit(new CommandLine(new IngestLoad()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    /** One scenario's figures. */
    private record Row(String name, String load, LoadRunner.Outcome o, int eventsPerRequest, Map<String, Object> usage,
                       Map<String, Object> check) {
        double answersPerSecond() {
            return o.measured().ok.sum() / o.windowSeconds();
        }

        double eventsPerSecond() {
            return o.measured().acceptedEvents.sum() / o.windowSeconds();
        }

        long errors() {
            return o.failedOrNon2xxTotal();
        }

        double ms(double percentile) {
            Histogram h = o.measured().latencyUs;
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMs() {
            Histogram h = o.measured().latencyUs;
            return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
        }
    }

    @Override
    public Integer call() throws Exception {
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                usage("unknown scenario '" + s + "'; known: " + String.join(", ", SCENARIOS));
            }
        }
        if (stores == null) stores = List.of(db != null ? "postgres" : "sqlite");
        for (String s : stores) {
            if (!List.of("sqlite", "postgres").contains(s)) usage("unknown store '" + s + "'; known: sqlite, postgres");
        }
        if (stores.isEmpty() || stores.stream().distinct().count() != stores.size()) usage("--stores names each store once");
        if (stores.contains("postgres") && db == null) {
            usage("--stores postgres needs --db jdbc:postgresql://... (run-ingest.sh starts a throwaway server when none is given)");
        }
        if (db != null && !stores.contains("postgres")) usage("--db is for the postgres store; add it to --stores");
        if (url != null && (stores.size() > 1 || db != null)) {
            usage("--url targets a running server; --stores and --db are for the in-process one");
        }
        if (!List.of("jetty", "jdk").contains(client)) usage("--client must be jetty or jdk");
        if (!List.of("full", "normal").contains(storageSync)) usage("--storage-sync must be full or normal");
        if (durationSeconds < 1 || warmupSeconds < 0 || jitWarmupSeconds < 0) {
            usage("--duration must be at least 1, --warmup and --jit-warmup at least 0");
        }
        if (Math.min(Math.min(noopConnections, singleConnections), Math.min(batchConnections, steadyMaxConnections)) < 1
                || batchSize < 1 || batchSize > 1000 || steadyRate < 1) {
            usage("connections and --steady-rate must be at least 1, --batch-size 1 to 1000");
        }
        if (token == null) token = System.getenv("TOUCHPOINT_BENCH_TOKEN");
        if (url != null && token == null) usage("--url needs --token (an ingest token)");
        if (url != null && scenarios.contains("able") && funnelMark == null) {
            usage("the able scenario with --url needs --funnel-mark (a funnel of the token's workspace)");
        }
        Instant started = Instant.now();
        Map<String, Object> machine = Machine.describe();
        System.err.println("bench: " + machine.get("cpu_model") + ", " + machine.get("cores") + " cores, "
                + machine.get("memory") + ", " + machine.get("jdk") + ", load average " + machine.get("load_average_at_start"));
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String clientName = null;
        List<StoreRun> runs = new ArrayList<>();
        for (String store : stores) {
            List<Row> rows = new ArrayList<>();
            String targetDescription;
            Boolean durable;
            if (stores.size() > 1) System.err.println("bench: ==== store " + store + " ====");
            try (Target target = url != null ? new Target.External(url, token, funnelMark)
                    : Target.Embedded.start(store.equals("postgres") ? null : data, storageSync, keepData,
                    store.equals("postgres") ? db : null)) {
                targetDescription = target.describe();
                durable = target.durableCommits();
                System.err.println("bench: " + targetDescription);
                Sampler sampler = new Sampler(target.baseUrl().split(",")[0]) /* several nodes: the first one's metrics */;
                String id = runId + (url == null ? "-" + store : "");
                if (jitWarmupSeconds > 0) {
                    System.err.printf(Locale.ROOT, "bench: warm-up round, %d s per scenario, not measured%n", jitWarmupSeconds);
                    for (String name : scenarios) run(name, target, sampler, id, true);
                    System.err.println("bench: measured round");
                }
                for (String name : scenarios) {
                    Row row = run(name, target, sampler, id, false);
                    rows.add(row);
                    Object c = row.usage().remove("client");
                    if (clientName == null) clientName = c.toString();
                }
            }
            Map<String, Double> ratios = ratios(rows);
            runs.add(new StoreRun(url != null ? "unknown (external server)" : store, targetDescription, durable, rows,
                    ratios, targets(rows, ratios, durable, durability(store, durable))));
        }
        Map<String, Map<String, Object>> comparison = runs.size() > 1 ? compare(runs.get(0), runs.get(1)) : null;
        System.out.println();
        for (StoreRun r : runs) System.out.println(table(r, clientName));
        if (comparison != null) System.out.println(comparisonTable(runs.get(0), runs.get(1), comparison));
        Path file = write(started, machine, clientName, runs, comparison);
        System.out.println("results: " + file);
        List<Row> all = runs.stream().flatMap(r -> r.rows().stream()).toList();
        boolean lost = all.stream().anyMatch(r -> "LOST".equals(r.check().get("status")));
        boolean errors = all.stream().anyMatch(r -> r.errors() > 0 || r.o().leftInFlight() > 0
                || r.o().measured().partial.sum() > 0);
        if (lost) {
            System.err.println("bench: FAILED — the store holds fewer events than the server acknowledged");
            return 1;
        }
        if (errors) {
            System.err.println("bench: some requests failed or were refused; see the errors column and the results file");
            return 3;
        }
        return 0;
    }

    /**
     * Per scenario, the second store's figures over the first's: events/s (answers/s for noop), and p99. Both
     * runs had the same scenarios, settings and load generator; only the store differs.
     */
    private static Map<String, Map<String, Object>> compare(StoreRun a, StoreRun b) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Row ra : a.rows()) {
            Row rb = find(b.rows(), ra.name());
            if (rb == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            boolean events = ra.eventsPerRequest() > 0;
            double va = events ? ra.eventsPerSecond() : ra.answersPerSecond();
            double vb = events ? rb.eventsPerSecond() : rb.answersPerSecond();
            m.put("measure", events ? "events_per_second" : "responses_2xx_per_second");
            m.put(a.store(), Sampler.round(va));
            m.put(b.store(), Sampler.round(vb));
            m.put("rate_ratio", va > 0 ? round3(vb / va) : null);
            m.put("p99_ms_" + a.store(), Sampler.round(ra.ms(99)));
            m.put("p99_ms_" + b.store(), Sampler.round(rb.ms(99)));
            m.put("p99_ratio", ra.ms(99) > 0 ? round3(rb.ms(99) / ra.ms(99)) : null);
            out.put(ra.name(), m);
        }
        return out;
    }

    private static String comparisonTable(StoreRun a, StoreRun b, Map<String, Map<String, Object>> comparison) {
        StringBuilder t = new StringBuilder();
        String label = b.store() + " ÷ " + a.store();
        t.append("stores side by side (").append(label).append("; events/s, answers/s for noop)\n");
        t.append(String.format(Locale.ROOT, "%-8s %12s %12s %8s %10s %10s %8s%n", "scenario", a.store() + "/s",
                b.store() + "/s", "ratio", "p99 " + a.store().substring(0, Math.min(6, a.store().length())),
                "p99 " + b.store().substring(0, Math.min(6, b.store().length())), "ratio"));
        comparison.forEach((name, m) -> t.append(String.format(Locale.ROOT, "%-8s %,12.0f %,12.0f %8s %10.2f %10.2f %8s%n",
                name, (Double) m.get(a.store()), (Double) m.get(b.store()), fmt((Double) m.get("rate_ratio")),
                (Double) m.get("p99_ms_" + a.store()), (Double) m.get("p99_ms_" + b.store()), fmt((Double) m.get("p99_ratio")))));
        t.append('\n');
        for (String key : a.ratios().keySet()) {
            Double vb = b.ratios().get(key);
            t.append(String.format(Locale.ROOT, "ratio %s: %s %.2f, %s %s%n", key, a.store(), a.ratios().get(key),
                    b.store(), vb == null ? "-" : String.format(Locale.ROOT, "%.2f", vb)));
        }
        return t.toString();
    }

    private String durability(String store, Boolean durable) {
        if (durable == null) return "durability unknown (external server)";
        if (store.equals("postgres")) return "synchronous_commit=on";
        return durable ? "synchronous=FULL" : "synchronous=NORMAL";
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private void usage(String message) {
        throw new CommandLine.ParameterException(new CommandLine(this), message);
    }

    /** @param warmupRound the unmeasured first round: its figures are only printed, as a line on stderr */
    private Row run(String name, Target target, Sampler sampler, String runId, boolean warmupRound) throws Exception {
        String label = warmupRound ? "warmup-" + name : name;
        Payloads payloads = new Payloads("bench-" + runId + "-" + label + "-");
        Workload work;
        String load;
        int connections;
        boolean open = name.equals("steady");
        switch (name) {
            case "noop" -> {
                work = Workload.noop();
                connections = noopConnections;
                load = "closed, " + connections + " conn";
            }
            case "single" -> {
                work = Workload.single(payloads);
                connections = singleConnections;
                load = "closed, " + connections + " conn";
            }
            case "able" -> {
                work = null; // needs the workspace's funnel, below
                connections = singleConnections; // the same concurrency as single, so the two routes compare
                load = "closed, " + connections + " conn";
            }
            case "batch" -> {
                work = Workload.batch(payloads, batchSize);
                connections = batchConnections;
                load = "closed, " + connections + " conn, " + batchSize + "/req";
            }
            default -> {
                work = Workload.single(payloads);
                connections = steadyMaxConnections;
                load = String.format(Locale.ROOT, "open, %,d ev/s", steadyRate);
            }
        }
        Target.Workspace ws = name.equals("noop") ? new Target.Workspace(null, null) : target.workspaceFor(label);
        String token = ws.token();
        if (work == null) {
            work = Workload.able(payloads, target.funnelMark(ws));
            token = null; // Able sends no token: the funnel mark selects workspace and funnel
        }
        int warmup = warmupRound ? jitWarmupSeconds : warmupSeconds, duration = warmupRound ? 1 : durationSeconds;
        System.err.printf(Locale.ROOT, "bench: %s — %s, %d s warm-up + %d s measured%n", label, load, warmup, duration);
        Sampler.Snapshot[] window = new Sampler.Snapshot[2];
        LoadRunner.WindowHooks hooks = new LoadRunner.WindowHooks() {
            @Override
            public void measureStarts() {
                window[0] = sampler.take();
            }

            @Override
            public void measureEnds() {
                window[1] = sampler.take();
            }
        };
        LoadRunner.Outcome o;
        String clientName;
        try (LoadClient c = LoadClient.create(client, target.baseUrl(), connections)) {
            clientName = c.name();
            LoadRunner runner = new LoadRunner(c, work, token, label, quiet);
            o = open ? runner.openLoop(steadyRate, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), hooks)
                    : runner.closedLoop(connections, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), hooks);
        }
        Map<String, Object> usage = sampler.between(window[0], window[1]);
        usage.put("client", clientName);
        Map<String, Object> check = new LinkedHashMap<>();
        if (work.eventsPerRequest > 0) {
            OptionalLong stored = target.storedEvents(ws);
            long acked = o.acceptedEventsTotal();
            check.put("acknowledged_events", acked);
            if (stored.isEmpty()) {
                check.put("status", "not checked (external server: this program cannot read its store)");
            } else {
                check.put("stored_events", stored.getAsLong());
                long unknown = o.failedOrNon2xxTotal() + o.leftInFlight();
                check.put("status", stored.getAsLong() < acked ? "LOST"
                        : stored.getAsLong() == acked ? "ok"
                        : unknown > 0 ? "ok (more stored than acknowledged: " + unknown + " requests without a 2xx answer)"
                        : "MORE STORED THAN ACKNOWLEDGED");
            }
        }
        Row row = new Row(name, load, o, work.eventsPerRequest, usage, check);
        System.err.printf(Locale.ROOT, "bench: %s — %,.0f answers/s, %,.0f events/s, p50 %.2f ms, p99 %.2f ms, "
                        + "%d errors%s%n", label, row.answersPerSecond(), row.eventsPerSecond(), row.ms(50), row.ms(99),
                row.errors(), check.isEmpty() ? "" : ", store check: " + check.get("status"));
        if (usage.get("processor_stages") instanceof Map<?, ?> stages) {
            // the next scenario starts with the stages caught up, so that it measures its own load, not this backlog
            double caughtUp = sampler.awaitStagesCaughtUp(Duration.ofMinutes(10));
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) stages;
            m.put("caught_up_seconds_after_window", caughtUp < 0 ? null : Sampler.round(caughtUp));
            System.err.printf(Locale.ROOT, "bench: %s — processor stages: %s%n", label, m);
        }
        return row;
    }

    private static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static Map<String, Double> ratios(List<Row> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        Row noop = find(rows, "noop"), single = find(rows, "single"), batch = find(rows, "batch"), able = find(rows, "able");
        if (able != null && single != null && single.eventsPerSecond() > 0) {
            out.put("able_events_per_single_event", able.eventsPerSecond() / single.eventsPerSecond());
        }
        if (noop != null && noop.answersPerSecond() > 0) {
            if (single != null) out.put("single_events_per_noop_request", single.eventsPerSecond() / noop.answersPerSecond());
            if (batch != null) out.put("batch_events_per_noop_request", batch.eventsPerSecond() / noop.answersPerSecond());
            if (batch != null) out.put("batch_requests_per_noop_request", batch.answersPerSecond() / noop.answersPerSecond());
        }
        return out;
    }

    /** @param durability how commits reach the disk, for people */
    private List<Map<String, Object>> targets(List<Row> rows, Map<String, Double> ratios, Boolean durable, String durability) {
        List<Map<String, Object>> out = new ArrayList<>();
        Row single = find(rows, "single"), batch = find(rows, "batch"), steady = find(rows, "steady");
        Double r = ratios.get("single_events_per_noop_request");
        if (r != null) {
            out.add(target("single events ≥ 50% of the no-op route's rate",
                    String.format(Locale.ROOT, "%.0f%%", r * 100), clean(single) && r >= 0.5, single));
        }
        Double a = ratios.get("able_events_per_single_event");
        Row able = find(rows, "able");
        if (a != null) {
            out.add(target("able webhook within 20% of the single (Cometly) route's rate (≥ 80%)",
                    String.format(Locale.ROOT, "%.0f%% (%,.0f vs %,.0f events/s, both at %d connections)", a * 100,
                            able.eventsPerSecond(), single.eventsPerSecond(), singleConnections),
                    clean(able) && clean(single) && a >= 0.8, able));
        }
        if (single != null) {
            String measured = String.format(Locale.ROOT, "%,.0f events/s, %s", single.eventsPerSecond(),
                    durability);
            out.add(target("single events ≥ 10,000 events/s with durable acknowledgement", measured,
                    clean(single) && single.eventsPerSecond() >= 10_000 && Boolean.TRUE.equals(durable), single));
        }
        if (batch != null) {
            out.add(target("batches ≥ 100,000 events/s",
                    String.format(Locale.ROOT, "%,.0f events/s (%d per request)", batch.eventsPerSecond(), batchSize),
                    clean(batch) && batch.eventsPerSecond() >= 100_000, batch));
        }
        if (steady != null) {
            boolean atRate = steadyRate == DEFAULT_STEADY_RATE;
            boolean held = steady.o().measured().ok.sum() >= 0.99 * steadyRate * steady.o().windowSeconds();
            out.add(target("p99 under 20 ms at a steady 2,000 events/s",
                    String.format(Locale.ROOT, "p99 %.2f ms at %,d events/s intended, %,.0f answered/s", steady.ms(99),
                            steadyRate, steady.answersPerSecond()),
                    atRate && held && clean(steady) && steady.ms(99) < 20, steady));
        }
        return out;
    }

    private static boolean clean(Row r) {
        return r != null && r.errors() == 0 && r.o().leftInFlight() == 0 && !"LOST".equals(r.check().get("status"));
    }

    private static Map<String, Object> target(String goal, String measured, boolean met, Row row) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", goal);
        t.put("measured", measured + (row != null && row.errors() > 0 ? ", with " + row.errors() + " errors" : ""));
        t.put("met", met);
        return t;
    }

    private String table(StoreRun run, String clientName) {
        List<Row> rows = run.rows();
        Map<String, Double> ratios = run.ratios();
        List<Map<String, Object>> targets = run.targets();
        boolean postgres = run.store().equals("postgres");
        StringBuilder b = new StringBuilder();
        b.append("store: ").append(run.store()).append('\n');
        b.append("target: ").append(run.target()).append('\n');
        b.append("client: ").append(clientName).append(", loopback, keep-alive; a warm-up round of ")
                .append(jitWarmupSeconds).append(" s per scenario, then per scenario ").append(warmupSeconds)
                .append(" s warm-up + ").append(durationSeconds).append(" s measured\n\n");
        b.append(String.format(Locale.ROOT, "%-8s %-26s %11s %11s %8s %8s %8s %8s %10s %8s %7s%n", "scenario",
                "load", "2xx/s", "events/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "2xx", "non-2xx", "failed"));
        for (Row r : rows) {
            Stats s = r.o().measured();
            b.append(String.format(Locale.ROOT, "%-8s %-26s %,11.0f %11s %8.2f %8.2f %8.2f %8.2f %,10d %,8d %,7d%n",
                    r.name(), r.load(), r.answersPerSecond(),
                    r.eventsPerRequest() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()),
                    r.ms(50), r.ms(90), r.ms(99), r.maxMs(), s.ok.sum(), s.non2xx.sum(), s.failed.sum()));
        }
        b.append('\n');
        for (Row r : rows) {
            Stats s = r.o().measured();
            if (s.non2xx.sum() + s.failed.sum() + s.partial.sum() > 0 || r.errors() > 0) {
                b.append(r.name()).append(" errors: statuses ").append(s.statuses()).append(", failures ")
                        .append(s.failures()).append(", 2xx with fewer accepted events ").append(s.partial.sum())
                        .append(", all phases ").append(r.errors()).append("; first: ").append(s.firstError.get()).append('\n');
            }
            if (!r.check().isEmpty()) {
                b.append(String.format(Locale.ROOT, "store check, %s: %,d events acknowledged (warm-up, window and drain), %s stored: %s%n",
                        r.name(), (Long) r.check().get("acknowledged_events"),
                        r.check().containsKey("stored_events") ? String.format(Locale.ROOT, "%,d", (Long) r.check().get("stored_events")) : "?",
                        r.check().get("status")));
            }
        }
        for (Row r : rows) {
            Map<String, Object> u = r.usage();
            b.append(String.format(Locale.ROOT, "cpu, %s: machine %s of %s cores busy (runnable tasks waited for a core %s of the time), "
                            + "this JVM %s (by thread %s), other processes%s %s; GC %s ms",
                    r.name(), u.get("machine_busy_cores"), u.get("cores"), u.get("cpu_pressure_some"), u.get("this_jvm_cores"),
                    u.get("this_jvm_cores_by_side"),
                    url != null ? " (the server among them)" : postgres ? " (PostgreSQL among them)" : "",
                    u.get("other_processes_cores"), u.get("gc_pause_ms")));
            if (u.get("ingest_writer") instanceof Map<?, ?> w) {
                b.append(String.format(Locale.ROOT, "%n     writer: %s commits/s, %s records/commit, %s ms/commit, inside commits %s of the time; "
                                + "its thread on a core %s, runnable waiting for a core %s, blocked or idle %s",
                        w.get("commits_per_second"), w.get("mean_records_per_commit"), w.get("mean_commit_ms"),
                        w.get("writer_busy_fraction"), w.get("thread_on_cpu_fraction"),
                        w.get("thread_runnable_waiting_for_cpu_fraction"), w.get("thread_blocked_or_idle_fraction")));
            }
            b.append('\n');
        }
        b.append('\n');
        ratios.forEach((k, v) -> b.append(String.format(Locale.ROOT, "ratio %s: %.2f%n", k, v)));
        for (Map<String, Object> t : targets) {
            b.append(String.format(Locale.ROOT, "target %-72s %-8s %s%n", t.get("target"),
                    Boolean.TRUE.equals(t.get("met")) ? "MET" : "NOT MET", t.get("measured")));
        }
        return b.toString();
    }

    private Path write(Instant started, Map<String, Object> machine, String clientName, List<StoreRun> runs,
                       Map<String, Map<String, Object>> comparison) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "touchpoint bench IngestLoad");
        doc.put("started_at", started.toString());
        doc.put("command", System.getProperty("bench.command", "java -jar bench/target/touchpoint-bench.jar"));
        doc.put("jvm_arguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        doc.put("machine", machine);
        doc.put("client", clientName);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jit_warmup_round_seconds_per_scenario", jitWarmupSeconds);
        settings.put("warmup_seconds", warmupSeconds);
        settings.put("duration_seconds", durationSeconds);
        settings.put("noop_connections", noopConnections);
        settings.put("single_connections", singleConnections);
        settings.put("batch_connections", batchConnections);
        settings.put("batch_size", batchSize);
        settings.put("steady_rate", steadyRate);
        settings.put("steady_max_connections", steadyMaxConnections);
        settings.put("storage_sync", url != null ? "unknown (external server)"
                : storageSync + " (SQLite; PostgreSQL always synchronous_commit=on)");
        settings.put("able_connections", singleConnections);
        doc.put("settings", settings);
        if (runs.size() == 1) {
            doc.putAll(storeDocument(runs.get(0))); // the layout of single-store results, as before plus "store"
        } else {
            List<Map<String, Object>> list = new ArrayList<>();
            for (StoreRun r : runs) list.add(storeDocument(r));
            doc.put("stores", list);
            doc.put("comparison_note", runs.get(1).store() + " ÷ " + runs.get(0).store()
                    + " per scenario: events/s (2xx/s for noop) and p99; same scenarios, settings and load generator");
            doc.put("comparison", comparison);
        }
        Files.createDirectories(results);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path file = results.resolve("ingest-" + stamp + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        return file.toAbsolutePath();
    }

    private Map<String, Object> storeDocument(StoreRun run) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("store", run.store());
        doc.put("target", run.target());
        List<Row> rows = run.rows();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Stats s = r.o().measured();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.name());
            m.put("load", r.load());
            m.put("window_seconds", Sampler.round(r.o().windowSeconds()));
            m.put("responses_2xx", s.ok.sum());
            m.put("responses_2xx_per_second", Sampler.round(r.answersPerSecond()));
            m.put("events_per_request", r.eventsPerRequest());
            m.put("accepted_events", s.acceptedEvents.sum());
            m.put("events_per_second", r.eventsPerRequest() == 0 ? null : Sampler.round(r.eventsPerSecond()));
            m.put("responses_non_2xx", s.non2xx.sum());
            m.put("transport_failures", s.failed.sum());
            m.put("responses_2xx_with_fewer_accepted_events", s.partial.sum());
            m.put("statuses", s.statuses());
            m.put("failures", s.failures());
            m.put("first_error", s.firstError.get());
            m.put("errors_all_phases", r.errors());
            m.put("unanswered_after_drain", r.o().leftInFlight());
            m.put("latency_ms", latency(s.latencyUs));
            if (r.name().equals("steady")) {
                m.put("latency_note", "latency_ms is measured from each request's intended send time (no coordinated "
                        + "omission); service_time_ms from the moment it was handed to the client");
                m.put("service_time_ms", latency(s.serviceUs));
            }
            m.put("per_second_2xx_approx", r.o().perSecondRequests());
            m.put("per_second_events_approx", r.o().perSecondEvents());
            m.put("store_check", r.check());
            m.put("resources", r.usage());
            list.add(m);
        }
        doc.put("scenarios", list);
        doc.put("ratios", run.ratios());
        doc.put("targets", run.targets());
        return doc;
    }

    private static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) return m;
        m.put("mean", Sampler.round(h.getMean() / 1000));
        for (double p : new double[]{50, 90, 99, 99.9}) {
            m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)),
                    Sampler.round(h.getValueAtPercentile(p) / 1000.0));
        }
        m.put("max", Sampler.round(h.getMaxValue() / 1000.0));
        return m;
    }
}
