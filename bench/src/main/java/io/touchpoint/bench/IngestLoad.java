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
 *   <li>{@code batch}: 100 events per POST /public-api/v1/events/batch, closed loop;</li>
 *   <li>{@code steady}: single events open-loop at a fixed rate, latency from the intended send time.</li>
 * </ul>
 * It prints a table and writes the figures as JSON. Only 2xx answers count as throughput; every other
 * answer and every transport failure is counted and reported, and after each event scenario the store
 * must hold exactly the events the server acknowledged.
 */
@Command(name = "run-ingest.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load-test the ingest path of a real Touchpoint server over loopback (see docs/BENCHMARKS.md).")
public final class IngestLoad implements Callable<Integer> {
    @Option(names = "--scenarios", split = ",", defaultValue = "noop,single,batch,steady",
            description = "scenarios to run, in order (default: ${DEFAULT-VALUE})")
    List<String> scenarios;

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

    @Option(names = "--single-connections", defaultValue = "128", description = "default: ${DEFAULT-VALUE}")
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

    @Option(names = "--url", description = "target a running server instead of starting one (needs --token)")
    String url;

    @Option(names = "--token", description = "ingest token for --url (or env TOUCHPOINT_BENCH_TOKEN); "
            + "give its workspace a rate limit above the load (workspace create --rate-limit)")
    String token;

    @Option(names = "--data", paramLabel = "DIR",
            description = "data folder of the in-process server (default: a new temporary folder, deleted after)")
    Path data;

    @Option(names = "--keep-data", description = "keep the temporary data folder")
    boolean keepData;

    @Option(names = "--storage-sync", defaultValue = "full",
            description = "full (durable acknowledgement, the product default) or normal (default: ${DEFAULT-VALUE})")
    String storageSync;

    @Option(names = "--results", defaultValue = "bench/results", paramLabel = "DIR",
            description = "where the JSON result goes (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--quiet", description = "no per-second progress lines")
    boolean quiet;

    private static final int DEFAULT_STEADY_RATE = 2000;

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
            if (!List.of("noop", "single", "batch", "steady").contains(s)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario '" + s
                        + "'; known: noop, single, batch, steady");
            }
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
        if (url != null && token == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--url needs --token (an ingest token)");
        }
        Instant started = Instant.now();
        Map<String, Object> machine = Machine.describe();
        System.err.println("bench: " + machine.get("cpu_model") + ", " + machine.get("cores") + " cores, "
                + machine.get("memory") + ", " + machine.get("jdk") + ", load average " + machine.get("load_average_at_start"));
        List<Row> rows = new ArrayList<>();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String targetDescription;
        Boolean durable;
        String clientName = null;
        try (Target target = url != null ? new Target.External(url, token)
                : Target.Embedded.start(data, storageSync, keepData)) {
            targetDescription = target.describe();
            durable = target.durableCommits();
            System.err.println("bench: " + targetDescription);
            Sampler sampler = new Sampler(target.baseUrl());
            if (jitWarmupSeconds > 0) {
                System.err.printf(Locale.ROOT, "bench: warm-up round, %d s per scenario, not measured%n", jitWarmupSeconds);
                for (String name : scenarios) run(name, target, sampler, runId, true);
                System.err.println("bench: measured round");
            }
            for (String name : scenarios) {
                Row row = run(name, target, sampler, runId, false);
                rows.add(row);
                if (clientName == null) clientName = row.usage().remove("client").toString();
                else row.usage().remove("client");
            }
        }
        Map<String, Double> ratios = ratios(rows);
        List<Map<String, Object>> targets = targets(rows, ratios, durable);
        System.out.println();
        System.out.println(table(rows, targetDescription, clientName, ratios, targets));
        Path file = write(started, machine, targetDescription, clientName, rows, ratios, targets);
        System.out.println("results: " + file);
        boolean lost = rows.stream().anyMatch(r -> "LOST".equals(r.check().get("status")));
        boolean errors = rows.stream().anyMatch(r -> r.errors() > 0 || r.o().leftInFlight() > 0
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
        Target.Workspace ws = work.eventsPerRequest == 0 ? new Target.Workspace(null, null) : target.workspaceFor(label);
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
            LoadRunner runner = new LoadRunner(c, work, ws.token(), label, quiet);
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
        return row;
    }

    private static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static Map<String, Double> ratios(List<Row> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        Row noop = find(rows, "noop"), single = find(rows, "single"), batch = find(rows, "batch");
        if (noop != null && noop.answersPerSecond() > 0) {
            if (single != null) out.put("single_events_per_noop_request", single.eventsPerSecond() / noop.answersPerSecond());
            if (batch != null) out.put("batch_events_per_noop_request", batch.eventsPerSecond() / noop.answersPerSecond());
            if (batch != null) out.put("batch_requests_per_noop_request", batch.answersPerSecond() / noop.answersPerSecond());
        }
        return out;
    }

    private List<Map<String, Object>> targets(List<Row> rows, Map<String, Double> ratios, Boolean durable) {
        List<Map<String, Object>> out = new ArrayList<>();
        Row single = find(rows, "single"), batch = find(rows, "batch"), steady = find(rows, "steady");
        Double r = ratios.get("single_events_per_noop_request");
        if (r != null) {
            out.add(target("single events ≥ 50% of the no-op route's rate",
                    String.format(Locale.ROOT, "%.0f%%", r * 100), clean(single) && r >= 0.5, single));
        }
        if (single != null) {
            String measured = String.format(Locale.ROOT, "%,.0f events/s, %s", single.eventsPerSecond(),
                    durable == null ? "durability unknown (external server)" : durable ? "synchronous=FULL" : "synchronous=NORMAL");
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

    private String table(List<Row> rows, String targetDescription, String clientName, Map<String, Double> ratios,
                         List<Map<String, Object>> targets) {
        StringBuilder b = new StringBuilder();
        b.append("target: ").append(targetDescription).append('\n');
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
                    u.get("this_jvm_cores_by_side"), url == null ? "" : " (the server among them)",
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
            b.append(String.format(Locale.ROOT, "target %-62s %-8s %s%n", t.get("target"),
                    Boolean.TRUE.equals(t.get("met")) ? "MET" : "NOT MET", t.get("measured")));
        }
        return b.toString();
    }

    private Path write(Instant started, Map<String, Object> machine, String targetDescription, String clientName,
                       List<Row> rows, Map<String, Double> ratios, List<Map<String, Object>> targets) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "touchpoint bench IngestLoad");
        doc.put("started_at", started.toString());
        doc.put("command", System.getProperty("bench.command", "java -jar bench/target/touchpoint-bench.jar"));
        doc.put("jvm_arguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        doc.put("machine", machine);
        doc.put("target", targetDescription);
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
        settings.put("storage_sync", url == null ? storageSync : "unknown (external server)");
        doc.put("settings", settings);
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
        doc.put("ratios", ratios);
        doc.put("targets", targets);
        Files.createDirectories(results);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path file = results.resolve("ingest-" + stamp + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        return file.toAbsolutePath();
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
