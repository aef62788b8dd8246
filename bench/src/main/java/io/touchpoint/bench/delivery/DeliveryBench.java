package io.touchpoint.bench.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.bench.load.Machine;
import io.touchpoint.bench.load.Payloads;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Target;
import io.touchpoint.core.admin.CreatedWorkspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The delivery benchmark (docs/BENCHMARKS.md, *Delivery*): the real server in this JVM (SQLite, synchronous=FULL, as
 * {@code run-ingest.sh}), the five platform fakes of the server's tests in a child JVM ({@link FakePlatforms}), and one
 * workspace whose 50,000 visitors each first load a page with a {@code gclid} through the pixel (so the Google Ads
 * destination has a click id to send, by enrichment), then convert through the Cometly API. Every Cometly event name
 * the payloads use is a conversion under the default attribution settings, so every accepted event is one conversion
 * and one outbox entry per destination. Destinations are connected through the admin API with {@code base_url} (the
 * webhook's {@code url}) pointing at the fakes. Three phases, one run:
 * <ol>
 *   <li>{@code ingest} (target 3, {@link IngestPhase}): HTTP ingest with the five destinations disabled and enabled,
 *   alternating, in rounds: single events closed loop (throughput, p99) and the steady open loop (p99), as
 *   {@code run-ingest.sh} measures them; what delivery did in each window is recorded beside;</li>
 *   <li>{@code capacity} (target 1, {@link CapacityPhase}): with the fakes down, a burst of batch ingest fills the
 *   outbox; once the delivery stage has routed all of it, the fakes come back and each destination's entries are
 *   replayed (due now, tries afresh, which also ends the destination's pause); each destination's backlog divided by
 *   the time to empty it is its delivery throughput; the stage's routing rate is measured while it works the fill
 *   off;</li>
 *   <li>{@code outage} (target 2, {@link OutagePhase}): conversions arrive at a steady rate; the fakes go down for the
 *   outage, come back, and the senders find them by themselves (their backoff); the backlog's drain rate is compared
 *   with the arrival rate, which goes on throughout.</li>
 * </ol>
 * Each phase starts with fresh destinations (the previous ones removed, with their outbox), so a phase's backlog is
 * its own. Fakes count what they accept (by the platform's dedup key) and list contract violations; both are compared
 * with the outbox at the end of each phase. What the phases share is a {@link DeliveryRun}; this class holds the
 * options and runs the phases in order.
 */
@Command(name = "run-delivery.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark delivery to the five ad platforms' local fakes, beside HTTP ingest (see docs/BENCHMARKS.md).",
        footer = {"",
                "Examples:",
                "  run-delivery.sh                                  all three phases, a 2-minute outage",
                "  run-delivery.sh --outage-minutes 10              the issue's 10-minute outage",
                "  run-delivery.sh --phases capacity                only the delivery throughput",
                "",
                "Exit status: 0 ran (whatever the verdicts), 2 usage error, 3 ingest errors or a fake saw contract violations."})
public final class DeliveryBench implements Callable<Integer> {
    @Option(names = "--phases", split = ",", defaultValue = "ingest,capacity,outage",
            description = "phases to run, in this order: ingest, capacity, outage (default: ${DEFAULT-VALUE})")
    List<String> phases;

    @Option(names = "--rounds", defaultValue = "2",
            description = "ingest: rounds of the --modes, the order changing per round (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--modes", split = ",", defaultValue = "off,idle,busy",
            description = "ingest: delivery's states compared, off and one or both of idle (the target) and busy (the stress "
                    + "case; the capacity ratio beside busy ingest needs it) (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
            description = "ingest: measured window per scenario and mode (default: ${DEFAULT-VALUE})")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
            description = "ingest: warm-up before each window (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--jit-warmup", defaultValue = "10", paramLabel = "SECONDS",
            description = "ingest: an unmeasured first round, single and steady with destinations, single without (default: ${DEFAULT-VALUE})")
    int jitWarmupSeconds;

    @Option(names = "--single-connections", defaultValue = "128", description = "ingest: closed-loop connections (default: ${DEFAULT-VALUE})")
    int singleConnections;

    @Option(names = "--steady-rate", defaultValue = "2000", paramLabel = "EVENTS_PER_SECOND",
            description = "ingest: the open loop's rate (default: ${DEFAULT-VALUE}, as run-ingest.sh)")
    int steadyRate;

    @Option(names = "--busy-fill-seconds", defaultValue = "3",
            description = "ingest: batch ingest with the fakes down before each busy window, its backlog (default: ${DEFAULT-VALUE})")
    int busyFillSeconds;

    @Option(names = "--fill-seconds", defaultValue = "4",
            description = "capacity: batch ingest (8 connections, 100 events a request) while the fakes are down (default: ${DEFAULT-VALUE})")
    int fillSeconds;

    @Option(names = "--capacity-limit", defaultValue = "600", paramLabel = "SECONDS",
            description = "capacity: longest wait for every destination's backlog to empty (default: ${DEFAULT-VALUE})")
    int capacityLimitSeconds;

    @Option(names = "--arrival-rate", defaultValue = "200", paramLabel = "CONVERSIONS_PER_SECOND",
            description = "outage: conversions arriving per second, before, during and after the outage (default: ${DEFAULT-VALUE})")
    int arrivalRate;

    @Option(names = "--before-outage", defaultValue = "30", paramLabel = "SECONDS",
            description = "outage: arrivals with the fakes up before the outage, the steady state (default: ${DEFAULT-VALUE})")
    int beforeOutageSeconds;

    @Option(names = "--outage-minutes", defaultValue = "2", description = "outage: how long the fakes are down (default: ${DEFAULT-VALUE}; the issue's is 10)")
    double outageMinutes;

    @Option(names = "--drain-limit-minutes", defaultValue = "15",
            description = "outage: longest wait for the backlog to drain once the fakes are back (default: ${DEFAULT-VALUE})")
    double drainLimitMinutes;

    @Option(names = "--settle-limit", defaultValue = "600", paramLabel = "SECONDS",
            description = "longest wait for the processor stages and the delivery stage to catch up between windows (default: ${DEFAULT-VALUE})")
    int settleLimitSeconds;

    @Option(names = "--time-limit-minutes", defaultValue = "60",
            description = "every wait of the run ends by then; what was measured is still reported (default: ${DEFAULT-VALUE})")
    double timeLimitMinutes;

    @Option(names = "--fakes-heap", defaultValue = "1g", description = "-Xmx of the fakes' JVM (default: ${DEFAULT-VALUE})")
    String fakesHeap;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder of the server (default: a new temporary folder, deleted after)")
    Path data;

    @Option(names = "--keep-data", description = "keep the temporary data folder")
    boolean keepData;

    @Option(names = "--results", defaultValue = "bench/results", paramLabel = "DIR",
            description = "where the JSON result goes (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--quiet", description = "no per-second progress lines")
    boolean quiet;

    private static final List<String> PHASES = List.of("ingest", "capacity", "outage");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeliveryBench()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String p : phases) if (!PHASES.contains(p)) usage("unknown phase '" + p + "'; known: " + String.join(", ", PHASES));
        if (rounds < 1 || durationSeconds < 1 || warmupSeconds < 0 || jitWarmupSeconds < 0 || fillSeconds < 1
                || arrivalRate < 1 || steadyRate < 1 || outageMinutes <= 0 || singleConnections < 1) {
            usage("--rounds, --duration, --fill-seconds, --arrival-rate, --steady-rate, --single-connections must be positive, "
                    + "--outage-minutes above 0");
        }
        if (!modes.contains("off") || modes.size() < 2 || !modes.stream().allMatch(m -> List.of("off", "idle", "busy").contains(m))) {
            usage("--modes is off with idle, busy or both");
        }
        Instant started = Instant.now();
        long deadline = System.nanoTime() + (long) (timeLimitMinutes * 60e9);
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> machine = Machine.describe();
        System.err.println("bench: " + machine.get("cpu_model") + ", " + machine.get("cores") + " cores, "
                + machine.get("memory") + ", " + machine.get("jdk") + ", load average " + machine.get("load_average_at_start"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "touchpoint bench DeliveryBench");
        doc.put("started_at", started.toString());
        doc.put("command", System.getProperty("bench.command", "java -cp bench/target/touchpoint-bench.jar io.touchpoint.bench.delivery.DeliveryBench"));
        doc.put("jvm_arguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        doc.put("machine", machine);
        doc.put("settings", settings());
        int status = 0;
        try (FakesProcess f = FakesProcess.start(Payloads.VISITORS, fakesHeap)) {
            System.err.println("bench: platform fakes in process " + f.pid() + ": " + String.join(", ",
                    FakePlatforms.NAMES.stream().map(n -> n + " " + f.url(n)).toList()));
            // the pixel's per-address limit reads the visitor's address from X-Forwarded-For behind a trusted proxy
            try (Target.Embedded t = Target.Embedded.start(data, "full", keepData, null, Map.of("proxies.trusted", "127.0.0.1/32"))) {
                System.err.println("bench: " + t.describe() + "; data in " + t.dataDir());
                doc.put("target", t.describe());
                Sampler sampler = new Sampler(t.baseUrl());
                DeliveryAdmin admin = new DeliveryAdmin(t.baseUrl(), t.adminSecret());
                CreatedWorkspace ws = t.createWorkspace("delivery");
                try (DeliveryMonitor m = new DeliveryMonitor(t.baseUrl(), t.store().destinations(), f)) {
                    m.dumpTo(results);
                    DeliveryRun run = new DeliveryRun(t, f, admin, m, sampler, ws, runId, deadline, settleLimitSeconds, quiet);
                    doc.put("seed", GclidPageViews.seed(run));
                    Map<String, Object> phaseResults = new LinkedHashMap<>();
                    if (phases.contains("ingest")) phaseResults.put("ingest", new IngestPhase(run, this).run());
                    if (phases.contains("capacity")) phaseResults.put("capacity", new CapacityPhase(run, this).run());
                    if (phases.contains("outage")) phaseResults.put("outage", new OutagePhase(run, this).run());
                    doc.put("phases", phaseResults);
                    doc.put("fake_checks", run.checks);
                    DeliveryVerdicts report = new DeliveryVerdicts(outageMinutes, arrivalRate);
                    Map<String, Object> verdicts = report.verdicts(phaseResults);
                    doc.put("targets", verdicts);
                    doc.put("fakes_final", JSON.convertValue(f.stats(), Map.class));
                    doc.put("load_average_at_end", Machine.load());
                    System.out.println();
                    System.out.println(report.summary(phaseResults, verdicts, run.checks));
                    boolean violations = run.checks.stream().anyMatch(c -> ((Number) c.get("violations")).longValue() > 0);
                    boolean ingestErrors = phaseResults.get("ingest") instanceof Map<?, ?> in
                            && ((Number) in.get("errors")).longValue() > 0;
                    if (violations || ingestErrors) status = 3;
                }
            }
        }
        Path file = write(started, doc);
        System.out.println("results: " + file);
        return status;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("phases", phases);
        s.put("rounds", rounds);
        s.put("modes", modes);
        s.put("warmup_seconds", warmupSeconds);
        s.put("duration_seconds", durationSeconds);
        s.put("jit_warmup_seconds", jitWarmupSeconds);
        s.put("single_connections", singleConnections);
        s.put("steady_rate", steadyRate);
        s.put("busy_fill_seconds", busyFillSeconds);
        s.put("fill_seconds", fillSeconds);
        s.put("arrival_rate", arrivalRate);
        s.put("before_outage_seconds", beforeOutageSeconds);
        s.put("outage_minutes", outageMinutes);
        s.put("drain_limit_minutes", drainLimitMinutes);
        s.put("storage_sync", "full (SQLite)");
        s.put("visitors", Payloads.VISITORS);
        s.put("fakes_heap", fakesHeap);
        s.put("time_limit_minutes", timeLimitMinutes);
        return s;
    }

    /** Writes the result document to --results, named by the run's start time (UTC). */
    private Path write(Instant started, Map<String, Object> doc) throws IOException {
        Files.createDirectories(results);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path file = results.resolve("delivery-" + stamp + ".json");
        JSON.writeValue(file.toFile(), doc);
        return file.toAbsolutePath();
    }

    private void usage(String message) {
        throw new CommandLine.ParameterException(new CommandLine(this), message);
    }
}
