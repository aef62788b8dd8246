package io.touchpoint.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.bench.ingest.IngestReport.Row;
import io.touchpoint.bench.ingest.IngestReport.StoreRun;
import io.touchpoint.bench.load.LoadClient;
import io.touchpoint.bench.load.LoadRunner;
import io.touchpoint.bench.load.Machine;
import io.touchpoint.bench.load.Payloads;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Target;
import io.touchpoint.bench.load.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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

    private static final List<String> SCENARIOS = List.of("noop", "single", "able", "batch", "steady");

    public static void main(String[] args) {
        // the script passes --results first; a later one from the caller wins
        System.exit(new CommandLine(new IngestLoad()).setOverwrittenOptionsAllowed(true).execute(args));
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
        IngestReport report = new IngestReport(jitWarmupSeconds, warmupSeconds, durationSeconds, singleConnections,
                batchSize, steadyRate, url != null);
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
            Map<String, Double> ratios = IngestReport.ratios(rows);
            runs.add(new StoreRun(url != null ? "unknown (external server)" : store, targetDescription, durable, rows,
                    ratios, report.targets(rows, ratios, url != null ? null : store, durable,
                            IngestReport.durability(store, durable))));
        }
        Map<String, Map<String, Object>> comparison = runs.size() > 1 ? IngestReport.compare(runs.get(0), runs.get(1)) : null;
        System.out.println();
        for (StoreRun r : runs) System.out.println(report.table(r, clientName));
        if (comparison != null) System.out.println(IngestReport.comparisonTable(runs.get(0), runs.get(1), comparison));
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
            doc.putAll(IngestReport.storeDocument(runs.get(0))); // the layout of single-store results, as before plus "store"
        } else {
            List<Map<String, Object>> list = new ArrayList<>();
            for (StoreRun r : runs) list.add(IngestReport.storeDocument(r));
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

}
