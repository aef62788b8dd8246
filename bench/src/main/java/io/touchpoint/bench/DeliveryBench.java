package io.touchpoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.core.admin.CreatedWorkspace;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static io.touchpoint.bench.DeliverySamples.*;
import static io.touchpoint.bench.DeliveryVerdicts.cast;
import static io.touchpoint.bench.DeliveryVerdicts.fmt;
import static io.touchpoint.bench.DeliveryVerdicts.num;
import static io.touchpoint.bench.DeliveryVerdicts.round3;

/**
 * The delivery benchmark (docs/BENCHMARKS.md, *Delivery*): the real server in this JVM (SQLite, synchronous=FULL, as
 * {@code run-ingest.sh}), the five platform fakes of the server's tests in a child JVM ({@link FakePlatforms}), and one
 * workspace whose 50,000 visitors each first load a page with a {@code gclid} through the pixel (so the Google Ads
 * destination has a click id to send, by enrichment), then convert through the Cometly API. Every Cometly event name
 * the payloads use is a conversion under the default attribution settings, so every accepted event is one conversion
 * and one outbox entry per destination. Destinations are connected through the admin API with {@code base_url} (the
 * webhook's {@code url}) pointing at the fakes. Three phases, one run:
 * <ol>
 *   <li>{@code ingest} (target 3): HTTP ingest with the five destinations disabled and enabled, alternating, in
 *   rounds: single events closed loop (throughput, p99) and the steady open loop (p99), as {@code run-ingest.sh}
 *   measures them; what delivery did in each window is recorded beside;</li>
 *   <li>{@code capacity} (target 1): with the fakes down, a burst of batch ingest fills the outbox; once the delivery
 *   stage has routed all of it, the fakes come back and each destination's entries are replayed (due now, tries
 *   afresh, which also ends the destination's pause); each destination's backlog divided by the time to empty it is
 *   its delivery throughput; the stage's routing rate is measured while it works the fill off;</li>
 *   <li>{@code outage} (target 2): conversions arrive at a steady rate; the fakes go down for the outage, come back,
 *   and the senders find them by themselves (their backoff); the backlog's drain rate is compared with the arrival
 *   rate, which goes on throughout.</li>
 * </ol>
 * Each phase starts with fresh destinations (the previous ones removed, with their outbox), so a phase's backlog is
 * its own. Fakes count what they accept (by the platform's dedup key) and list contract violations; both are compared
 * with the outbox at the end of each phase.
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
            description = "ingest: rounds of (without, idle, busy destinations), the order changing per round (default: ${DEFAULT-VALUE})")
    int rounds;

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
    private static final long SETTLED_APART_MILLIS = 2500;
    /** The delivery stage's thread, named by the server's stage runner. */
    private static final String STAGE_THREAD = "delivery-stage";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Target.Embedded target;
    private FakesProcess fakes;
    private DeliveryAdmin admin;
    private DeliveryMonitor monitor;
    private Sampler sampler;
    private String workspaceId;
    private String token;
    private String pixelKey;
    private Map<String, String> destinations;
    private String runId;
    private final List<Map<String, Object>> checks = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long deadline = Long.MAX_VALUE;

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
        Instant started = Instant.now();
        deadline = System.nanoTime() + (long) (timeLimitMinutes * 60e9);
        runId = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> machine = Machine.describe();
        System.err.println("bench: " + machine.get("cpu_model") + ", " + machine.get("cores") + " cores, "
                + machine.get("memory") + ", " + machine.get("jdk") + ", load average " + machine.get("load_average_at_start"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "touchpoint bench DeliveryBench");
        doc.put("started_at", started.toString());
        doc.put("command", System.getProperty("bench.command", "java -cp bench/target/touchpoint-bench.jar io.touchpoint.bench.DeliveryBench"));
        doc.put("jvm_arguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        doc.put("machine", machine);
        doc.put("settings", settings());
        int status = 0;
        try (FakesProcess f = FakesProcess.start(Payloads.VISITORS, fakesHeap)) {
            fakes = f;
            System.err.println("bench: platform fakes in process " + f.pid() + ": " + String.join(", ",
                    FakePlatforms.NAMES.stream().map(n -> n + " " + f.url(n)).toList()));
            // the pixel's per-address limit reads the visitor's address from X-Forwarded-For behind a trusted proxy
            try (Target.Embedded t = Target.Embedded.start(data, "full", keepData, null, Map.of("proxies.trusted", "127.0.0.1/32"))) {
                target = t;
                System.err.println("bench: " + t.describe() + "; data in " + t.dataDir());
                doc.put("target", t.describe());
                sampler = new Sampler(t.baseUrl());
                admin = new DeliveryAdmin(t.baseUrl(), t.adminSecret());
                CreatedWorkspace ws = t.createWorkspace("delivery");
                workspaceId = ws.workspace().id();
                token = ws.token().secret();
                pixelKey = ws.workspace().pixelKey();
                try (DeliveryMonitor m = new DeliveryMonitor(t.baseUrl(), t.store().destinations(), f)) {
                    monitor = m;
                    m.dumpTo(results);
                    doc.put("seed", seed());
                    Map<String, Object> phaseResults = new LinkedHashMap<>();
                    if (phases.contains("ingest")) phaseResults.put("ingest", ingestPhase());
                    if (phases.contains("capacity")) phaseResults.put("capacity", capacityPhase());
                    if (phases.contains("outage")) phaseResults.put("outage", outagePhase());
                    doc.put("phases", phaseResults);
                    doc.put("fake_checks", checks);
                    DeliveryVerdicts report = new DeliveryVerdicts(outageMinutes, arrivalRate);
                    Map<String, Object> verdicts = report.verdicts(phaseResults);
                    doc.put("targets", verdicts);
                    doc.put("fakes_final", JSON.convertValue(f.stats(), Map.class));
                    doc.put("load_average_at_end", Machine.load());
                    System.out.println();
                    System.out.println(report.summary(phaseResults, verdicts, checks));
                    boolean violations = checks.stream().anyMatch(c -> ((Number) c.get("violations")).longValue() > 0);
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

    // ------------------------------------------------------------------ seeding

    /** One page view per visitor, with a Google Ads click (utm and gclid), through the pixel; then the stages catch up. */
    private Map<String, Object> seed() throws Exception {
        System.err.printf(Locale.ROOT, "bench: seeding %,d page views with a gclid through /collect%n", Payloads.VISITORS);
        long t0 = System.nanoTime();
        Semaphore slots = new Semaphore(64);
        LongAdder ok = new LongAdder(), bad = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        long ms = System.currentTimeMillis();
        for (long v = 0; v < Payloads.VISITORS; v++) {
            String gclid = FakePlatforms.gclid(v);
            // under 100 characters: the GA4 fake refuses longer parameter values, page_location included (see BENCHMARKS.md)
            String url = "https://shop.example.com/l?utm_source=google&utm_medium=cpc&gclid=" + gclid;
            String beacon = "{\"type\":\"page_view\",\"token\":\"" + Payloads.visitorToken(v) + "\",\"fp\":\"" + Payloads.fingerprint(v)
                    + "\",\"url\":\"" + url + "\",\"ref\":\"https://www.google.com/\",\"title\":\"Landing\",\"params\":"
                    + "{\"utm_source\":\"google\",\"utm_medium\":\"cpc\",\"utm_campaign\":\"bench-search\",\"gclid\":\"" + gclid + "\"},"
                    + "\"cookies\":{\"fbp\":\"fb.1." + ms + "." + (1_000_000_000L + v) + "\"},\"screen\":\"1920x1080\","
                    + "\"lang\":\"en-US\",\"tz\":\"UTC\"}";
            HttpRequest r = HttpRequest.newBuilder(URI.create(target.baseUrl() + "/collect?key=" + pixelKey))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("User-Agent", Payloads.USER_AGENT)
                    .header("Origin", "https://shop.example.com").header("X-Forwarded-For", Payloads.ip(v))
                    .POST(HttpRequest.BodyPublishers.ofString(beacon)).build();
            slots.acquire();
            http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, e) -> {
                if (e == null && resp.statusCode() / 100 == 2) {
                    ok.increment();
                } else {
                    bad.increment();
                    firstError.compareAndSet(null, e != null ? e.toString() : resp.statusCode() + " " + resp.body());
                }
                slots.release();
            });
        }
        slots.acquire(64);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "bench: seeded %,d page views in %.1f s (%,d refused%s)%n", ok.sum(), seconds, bad.sum(),
                firstError.get() == null ? "" : "; first: " + firstError.get());
        if (bad.sum() > 0) throw new IllegalStateException("seeding failed: " + firstError.get());
        double settled = awaitSettled();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("page_views", ok.sum());
        m.put("seconds", Sampler.round(seconds));
        m.put("stages_caught_up_after_seconds", Sampler.round(settled));
        return m;
    }

    // ------------------------------------------------------------------ phase 1: ingest with and without destinations

    /**
     * The state delivery is in while an ingest window is measured: {@code off} no destination enabled (the delivery
     * stage moves its cursor without reading events); {@code idle} five new destinations, their outbox empty, so the
     * senders have only what the stage routes during the window; {@code busy} the same five with a backlog made just
     * before (while the fakes were down, then replayed: due now), so every sender works flat out during the window, as
     * it does under sustained ingest once delivery has fallen behind.
     */
    enum Mode {
        OFF("no destinations"), IDLE("5 dst, outbox empty"), BUSY("5 dst, backlog");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One measured ingest window. */
    private record IngestRow(String scenario, Mode mode, int round, LoadRunner.Outcome o,
                             Map<String, Object> usage, Map<String, Object> delivery) {
        double eventsPerSecond() {
            return o.measured().acceptedEvents.sum() / o.windowSeconds();
        }

        double ms(double p) {
            Histogram h = o.measured().latencyUs;
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
        }
    }

    private boolean enabled;
    private JsonNode fakesMark;
    /** System.nanoTime() when the last ingest window or fill ended. */
    private long lastIngestEnd;

    private Map<String, Object> ingestPhase() throws Exception {
        System.err.println("bench: ==== phase ingest: without destinations, with five idle, with five busy ====");
        long phaseStart = System.nanoTime();
        List<Map<String, Object>> busyFills = new ArrayList<>();
        if (jitWarmupSeconds > 0) {
            System.err.printf(Locale.ROOT, "bench: warm-up round, %d s per scenario, not measured%n", jitWarmupSeconds);
            prepare(Mode.IDLE, "warmup");
            ingest("single", Mode.IDLE, 0, true);
            ingest("steady", Mode.IDLE, 0, true);
            prepare(Mode.OFF, "warmup");
            ingest("single", Mode.OFF, 0, true);
        }
        List<IngestRow> rows = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            List<Mode> order = r % 2 == 1 ? List.of(Mode.OFF, Mode.IDLE, Mode.BUSY) : List.of(Mode.IDLE, Mode.BUSY, Mode.OFF);
            for (Mode mode : order) {
                for (String scenario : List.of("single", "steady")) {
                    Map<String, Object> fill = prepare(mode, scenario + "-r" + r);
                    if (fill != null) busyFills.add(fill);
                    rows.add(ingest(scenario, mode, r, false));
                }
            }
        }
        double settled = awaitSettled();
        retire("ingest, last destinations");

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", Sampler.round((System.nanoTime() - phaseStart) / 1e9));
        List<Map<String, Object>> list = new ArrayList<>();
        long errors = 0;
        for (IngestRow row : rows) {
            list.add(rowDocument(row));
            errors += row.o().failedOrNon2xxTotal() + row.o().leftInFlight();
        }
        out.put("windows", list);
        out.put("busy_fills", busyFills);
        out.put("errors", errors);
        Map<String, Object> compare = new LinkedHashMap<>();
        for (String scenario : List.of("single", "steady")) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (Mode mode : Mode.values()) {
                List<IngestRow> rs = rows.stream().filter(x -> x.scenario().equals(scenario) && x.mode() == mode).toList();
                Histogram merged = new Histogram(java.util.concurrent.TimeUnit.MINUTES.toMicros(10), 3);
                long accepted = 0;
                double seconds = 0;
                for (IngestRow x : rs) {
                    merged.add(x.o().measured().latencyUs);
                    accepted += x.o().measured().acceptedEvents.sum();
                    seconds += x.o().windowSeconds();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("events_per_second", Sampler.round(accepted / seconds));
                m.put("per_round_events_per_second", rs.stream().map(x -> Sampler.round(x.eventsPerSecond())).toList());
                m.put("p50_ms", Sampler.round(merged.getValueAtPercentile(50) / 1000.0));
                m.put("p99_ms", Sampler.round(merged.getValueAtPercentile(99) / 1000.0));
                m.put("per_round_p99_ms", rs.stream().map(x -> Sampler.round(x.ms(99))).toList());
                m.put("max_ms", Sampler.round(merged.getMaxValue() / 1000.0));
                c.put(mode.key(), m);
            }
            Map<String, Object> off = cast(c.get("off"));
            for (Mode mode : List.of(Mode.IDLE, Mode.BUSY)) {
                Map<String, Object> on = cast(c.get(mode.key()));
                c.put(mode.key() + "_rate_ratio", round3(num(on.get("events_per_second")) / num(off.get("events_per_second"))));
                c.put(mode.key() + "_p99_ratio", round3(num(on.get("p99_ms")) / num(off.get("p99_ms"))));
            }
            compare.put(scenario, c);
        }
        out.put("comparison", compare);
        out.put("settled_after_last_window_seconds", Sampler.round(settled));
        return out;
    }

    /**
     * Puts delivery in the window's state; answers what a busy window's backlog fill did (null otherwise). Always waits
     * first for the stages to have routed what they were given: once no destination is enabled, the delivery stage
     * moves its cursor past events without reading them.
     */
    private Map<String, Object> prepare(Mode mode, String label) throws Exception {
        awaitSettled();
        switch (mode) {
            case OFF -> {
                if (destinations != null && enabled) {
                    admin.setEnabled(destinations, false);
                    enabled = false;
                    Thread.sleep(1500); // the senders' supervisor stops their workers within a second
                }
                return null;
            }
            case IDLE -> {
                if (destinations != null) retire("ingest before idle " + label);
                connect();
                return null;
            }
            default -> {
                if (destinations == null) connect();
                if (!enabled) {
                    admin.setEnabled(destinations, true);
                    enabled = true;
                }
                return busyFill(label);
            }
        }
    }

    /** Five new enabled destinations; the fakes' counts from here are theirs. */
    private void connect() throws InterruptedException {
        fakesMark = fakes.stats();
        destinations = admin.connectAll(workspaceId, fakes, true);
        enabled = true;
        Thread.sleep(1500); // the senders' supervisor starts their workers within a second
    }

    /** Checks the current destinations against what the fakes accepted, then removes them (their outbox with them). */
    private void retire(String label) throws InterruptedException {
        checks.add(check(label, fakesMark, destinations));
        admin.deleteAll(destinations);
        destinations = null;
        enabled = false;
    }

    /**
     * A backlog for a busy window: with the fakes down, batch ingest for --busy-fill-seconds; once the delivery stage has
     * routed it, the fakes come back and each destination's entries are replayed (due now, tries afresh, its pause
     * ended), so the window starts with every sender working.
     */
    private Map<String, Object> busyFill(String label) throws Exception {
        // the replay takes the fill's events by event time (sent time - 5 s, in whole seconds): the window before must be
        // at least that far behind, or its entries, sent already, would be replayed and sent again
        long sinceLast = System.nanoTime() - lastIngestEnd;
        if (sinceLast < 8_000_000_000L) Thread.sleep(Duration.ofNanos(8_000_000_000L - sinceLast));
        fakes.down();
        Instant from = Instant.now().minusSeconds(6);
        Payloads payloads = new Payloads("bench-" + runId + "-busyfill-" + label + "-");
        LoadRunner.Outcome o;
        try (LoadClient c = LoadClient.create("jetty", target.baseUrl(), 8)) {
            o = new LoadRunner(c, Workload.batch(payloads, 100), token, "busy-fill", true)
                    .closedLoop(8, Duration.ofSeconds(1), Duration.ofSeconds(Math.max(1, busyFillSeconds - 1)), NO_HOOKS);
        }
        lastIngestEnd = System.nanoTime();
        double routed = awaitSettled();
        fakes.up();
        Instant to = Instant.now().plusSeconds(60);
        long replayed = 0;
        for (String id : destinations.values()) replayed += admin.replayRange(id, from, to);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", label);
        m.put("conversions", o.acceptedEventsTotal());
        m.put("routed_seconds", Sampler.round(routed));
        m.put("entries_replayed", replayed);
        System.err.printf(Locale.ROOT, "bench: busy fill — %,d conversions ingested with the fakes down, routed %.1f s after, "
                + "%,d entries replayed: every sender has a backlog%n", o.acceptedEventsTotal(), routed, replayed);
        return m;
    }

    private static final LoadRunner.WindowHooks NO_HOOKS = new LoadRunner.WindowHooks() {
        @Override
        public void measureStarts() {
        }

        @Override
        public void measureEnds() {
        }
    };

    private IngestRow ingest(String scenario, Mode mode, int round, boolean warmupRound) throws Exception {
        String label = (warmupRound ? "warmup-" : "") + scenario + "-" + mode.key() + (round > 0 ? "-r" + round : "");
        if (mode != Mode.BUSY) awaitSettled(); // a busy window starts at once, while its backlog is fresh
        Payloads payloads = new Payloads("bench-" + runId + "-" + label + "-");
        Workload work = Workload.single(payloads);
        boolean open = scenario.equals("steady");
        int connections = open ? 256 : singleConnections;
        int warmup = warmupRound ? jitWarmupSeconds : warmupSeconds, duration = warmupRound ? 1 : durationSeconds;
        System.err.printf(Locale.ROOT, "bench: %s — %s, %d s warm-up + %d s measured, outbox open %s%n", label,
                open ? String.format(Locale.ROOT, "open, %,d ev/s", steadyRate) : "closed, " + connections + " conn",
                warmup, duration, destinations == null ? "-" : openByDestination());
        Sampler.Snapshot[] window = new Sampler.Snapshot[2];
        Map<String, Double>[] edge = new Map[2];
        long[] cursor = new long[2];
        double[] fakesCpu = new double[2];
        LoadRunner.WindowHooks hooks = new LoadRunner.WindowHooks() {
            @Override
            public void measureStarts() {
                window[0] = sampler.take();
                edge[0] = metrics();
                cursor[0] = target.store().destinations().cursor();
                fakesCpu[0] = fakes.cpuSeconds();
            }

            @Override
            public void measureEnds() {
                window[1] = sampler.take();
                edge[1] = metrics();
                cursor[1] = target.store().destinations().cursor();
                fakesCpu[1] = fakes.cpuSeconds();
            }
        };
        LoadRunner.Outcome o;
        try (LoadClient c = LoadClient.create("jetty", target.baseUrl(), connections)) {
            LoadRunner runner = new LoadRunner(c, work, token, label, quiet);
            o = open ? runner.openLoop(steadyRate, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), hooks)
                    : runner.closedLoop(connections, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), hooks);
        }
        lastIngestEnd = System.nanoTime();
        Map<String, Object> usage = sampler.between(window[0], window[1]);
        double seconds = (window[1].nanos() - window[0].nanos()) / 1e9;
        relabelSides(usage);
        usage.put("fakes_process_cores", Sampler.round((fakesCpu[1] - fakesCpu[0]) / seconds));
        Map<String, Object> delivery = new LinkedHashMap<>();
        if (destinations != null && enabled) delivery.put("open_per_destination_after_window", openByDestination());
        Map<String, Object> sentPerSecond = new LinkedHashMap<>();
        for (String type : FakePlatforms.NAMES) {
            double d = DeliveryMonitor.sum(edge[1], "touchpoint_deliveries_total", "type=\"" + type + "\"", "outcome=\"sent\"")
                    - DeliveryMonitor.sum(edge[0], "touchpoint_deliveries_total", "type=\"" + type + "\"", "outcome=\"sent\"");
            sentPerSecond.put(type, Sampler.round(d / seconds));
        }
        delivery.put("sent_per_second", sentPerSecond);
        delivery.put("stage_routed_events_per_second", Sampler.round((cursor[1] - cursor[0]) / seconds));
        delivery.put("outbox_open_at_start", edge[0].get("touchpoint_delivery_outbox_open"));
        delivery.put("outbox_open_at_end", edge[1].get("touchpoint_delivery_outbox_open"));
        delivery.put("stage_lag_at_end", edge[1].get("touchpoint_delivery_lag_events"));
        IngestRow row = new IngestRow(scenario, mode, round, o, usage, delivery);
        System.err.printf(Locale.ROOT, "bench: %s — %,.0f events/s, p50 %.2f ms, p99 %.2f ms, %d errors; in the window: delivered/s %s, "
                        + "routed %s events/s, outbox %s → %s; machine %s cores busy, fakes %s; load %s%n", label, row.eventsPerSecond(),
                row.ms(50), row.ms(99), o.failedOrNon2xxTotal(), sentPerSecond, delivery.get("stage_routed_events_per_second"),
                fmt(delivery.get("outbox_open_at_start")), fmt(delivery.get("outbox_open_at_end")), usage.get("machine_busy_cores"),
                usage.get("fakes_process_cores"), Machine.load());
        return row;
    }

    private Map<String, Object> rowDocument(IngestRow r) {
        Stats s = r.o().measured();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", r.scenario());
        m.put("mode", r.mode().key());
        m.put("destinations", r.mode().label);
        m.put("round", r.round());
        m.put("load", r.scenario().equals("steady") ? "open loop, " + steadyRate + " events/s" : "closed loop, " + singleConnections + " connections");
        m.put("window_seconds", Sampler.round(r.o().windowSeconds()));
        m.put("events_per_second", Sampler.round(r.eventsPerSecond()));
        m.put("accepted_events", s.acceptedEvents.sum());
        Map<String, Object> lat = new LinkedHashMap<>();
        for (double p : new double[]{50, 90, 99, 99.9}) lat.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), Sampler.round(r.ms(p)));
        lat.put("max", Sampler.round(s.latencyUs.getMaxValue() / 1000.0));
        m.put("latency_ms", lat);
        m.put("non_2xx", s.non2xx.sum());
        m.put("transport_failures", s.failed.sum());
        m.put("first_error", s.firstError.get());
        m.put("per_second_events_approx", r.o().perSecondEvents());
        m.put("delivery_in_window", r.delivery());
        m.put("resources", r.usage());
        return m;
    }

    // ------------------------------------------------------------------ phase 2: delivery throughput

    private Map<String, Object> capacityPhase() throws Exception {
        System.err.println("bench: ==== phase capacity: a backlog made while the fakes are down, then sent as fast as it goes ====");
        awaitSettled();
        fakes.down();
        connect();
        Instant fillFrom = Instant.now();
        long phaseStart = System.nanoTime();
        long cursorAtFill = target.store().destinations().cursor();
        long stageCpuAtFill = Sampler.threadCpuNanos(STAGE_THREAD);
        monitor.begin("fill", destinations, quiet);
        Payloads payloads = new Payloads("bench-" + runId + "-fill-");
        LoadRunner.Outcome o;
        long[] cursorAtIngestEnd = new long[1];
        long[] ingestEnd = new long[1];
        try (LoadClient c = LoadClient.create("jetty", target.baseUrl(), 8)) {
            LoadRunner runner = new LoadRunner(c, Workload.batch(payloads, 100), token, "fill", quiet);
            o = runner.closedLoop(8, Duration.ofSeconds(1), Duration.ofSeconds(fillSeconds), new LoadRunner.WindowHooks() {
                @Override
                public void measureStarts() {
                }

                @Override
                public void measureEnds() {
                }
            });
        }
        ingestEnd[0] = System.nanoTime();
        cursorAtIngestEnd[0] = target.store().destinations().cursor();
        long stageCpuAtIngestEnd = Sampler.threadCpuNanos(STAGE_THREAD);
        long filled = o.acceptedEventsTotal();
        System.err.printf(Locale.ROOT, "bench: fill — %,d conversions accepted in %d s (%,.0f/s) while the fakes are down; "
                + "waiting for the delivery stage to route them%n", filled, fillSeconds + 1, filled / (fillSeconds + 1.0));
        double settled = awaitSettled();
        long routedEnd = System.nanoTime();
        long cursorEnd = target.store().destinations().cursor();
        long stageCpuNow = Sampler.threadCpuNanos(STAGE_THREAD);
        long stageCpu = stageCpuNow - stageCpuAtFill, stageCpuAfterIngest = stageCpuNow - stageCpuAtIngestEnd;
        List<DeliveryMonitor.Sample> fillSamples = monitor.since(phaseStart);
        DeliveryMonitor.Sample before = monitor.sampleNow();
        Map<String, Long> backlog = new LinkedHashMap<>();
        for (String type : FakePlatforms.NAMES) backlog.put(type, before.open(type));
        System.err.printf(Locale.ROOT, "bench: routed (stages caught up %.1f s after the fill); outbox per destination %s;"
                + " the delivery stage's thread used %.1f µs of CPU per event routed (%,d events; %.1f µs for the %,d after"
                + " ingest ended)%n", settled, backlog, stageCpu / 1e3 / Math.max(1, cursorEnd - cursorAtFill),
                cursorEnd - cursorAtFill, stageCpuAfterIngest / 1e3 / Math.max(1, cursorEnd - cursorAtIngestEnd[0]),
                cursorEnd - cursorAtIngestEnd[0]);

        fakes.up();
        monitor.begin("capacity", destinations, quiet);
        Sampler.Snapshot s0 = sampler.take();
        double fakesCpu0 = fakes.cpuSeconds();
        long drainStart = System.nanoTime();
        Map<String, Long> startedAt = new LinkedHashMap<>();
        Map<String, Long> replayed = new LinkedHashMap<>();
        Instant to = Instant.now().plusSeconds(60);
        for (String type : FakePlatforms.NAMES) {
            startedAt.put(type, System.nanoTime());
            replayed.put(type, admin.replayRange(destinations.get(type), fillFrom.minusSeconds(6), to));
        }
        Map<String, Long> drainedAt = new LinkedHashMap<>();
        long limit = Math.min(deadline, drainStart + Duration.ofSeconds(capacityLimitSeconds).toNanos());
        while (drainedAt.size() < FakePlatforms.NAMES.size() && System.nanoTime() < limit) {
            Thread.sleep(250);
            DeliveryMonitor.Sample s = monitor.latest();
            if (s == null || s.nanos() < drainStart) continue;
            for (String type : FakePlatforms.NAMES) {
                if (!drainedAt.containsKey(type) && s.open(type) == 0) drainedAt.put(type, s.nanos());
            }
        }
        long drainEnd = System.nanoTime();
        Sampler.Snapshot s1 = sampler.take();
        double fakesCpu1 = fakes.cpuSeconds();
        monitor.end();
        DeliveryMonitor.Sample after = monitor.sampleNow();
        List<DeliveryMonitor.Sample> drainSamples = monitor.since(drainStart);

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> fill = new LinkedHashMap<>();
        fill.put("conversions_accepted", filled);
        fill.put("ingest_seconds", fillSeconds + 1);
        fill.put("ingest_events_per_second", Sampler.round(filled / (fillSeconds + 1.0)));
        fill.put("stages_caught_up_seconds_after_fill", Sampler.round(settled));
        double routeSeconds = (routedEnd - ingestEnd[0]) / 1e9;
        fill.put("stage_routed_after_ingest_ended", cursorEnd - cursorAtIngestEnd[0]);
        fill.put("stage_routing_events_per_second_after_ingest_ended", Sampler.round((cursorEnd - cursorAtIngestEnd[0]) / routeSeconds));
        fill.put("stage_routing_events_per_second_busy_seconds", routingWhileBusy(fillSamples));
        fill.put("stage_routing_events_per_second_overall", Sampler.round((cursorEnd - firstCursor(fillSamples)) / ((routedEnd - phaseStart) / 1e9)));
        // CPU per event is what a shared machine does not distort: the stage's thread over the fill and the routing after it
        fill.put("stage_thread_cpu_seconds", Sampler.round(stageCpu / 1e9));
        fill.put("stage_thread_cpu_micros_per_routed_event", cursorEnd > cursorAtFill
                ? Sampler.round(stageCpu / 1e3 / (cursorEnd - cursorAtFill)) : null);
        fill.put("stage_thread_cpu_micros_per_event_routed_after_ingest_ended", cursorEnd > cursorAtIngestEnd[0]
                ? Sampler.round(stageCpuAfterIngest / 1e3 / (cursorEnd - cursorAtIngestEnd[0])) : null);
        out.put("fill", fill);
        Map<String, Object> per = new LinkedHashMap<>();
        double min = Double.MAX_VALUE;
        String slowest = null;
        for (String type : FakePlatforms.NAMES) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backlog", backlog.get(type));
            m.put("replayed", replayed.get(type));
            Long done = drainedAt.get(type);
            double secs = ((done == null ? drainEnd : done) - startedAt.get(type)) / 1e9;
            long sent = after.sent(type) - before.sent(type);
            m.put("sent", sent);
            m.put("dead", after.perDestination().get(type)[2]);
            m.put("emptied", done != null);
            m.put("seconds_to_empty", done == null ? null : Sampler.round(secs));
            double rate = sent / secs;
            m.put("sent_per_second", Sampler.round(rate));
            m.put("peak_sent_per_second_1s", Sampler.round(peak(drainSamples, type)));
            per.put(type, m);
            if (rate < min) {
                min = rate;
                slowest = type;
            }
        }
        out.put("destinations", per);
        out.put("slowest", slowest);
        out.put("slowest_sent_per_second", Sampler.round(min));
        Map<String, Object> usage = sampler.between(s0, s1);
        relabelSides(usage);
        usage.put("fakes_process_cores", Sampler.round((fakesCpu1 - fakesCpu0) / ((s1.nanos() - s0.nanos()) / 1e9)));
        out.put("resources_while_draining", usage);
        out.put("monitor_sample_ms_median", medianSampleMillis(drainSamples));
        out.put("seconds", Sampler.round((System.nanoTime() - phaseStart) / 1e9));
        System.err.printf(Locale.ROOT, "bench: capacity — %s; slowest %s at %,.0f/s; routing %s events/s after the fill%n",
                per, slowest, min, fill.get("stage_routing_events_per_second_after_ingest_ended"));
        retire("capacity");
        return out;
    }

    // ------------------------------------------------------------------ phase 3: outage and drain

    private Map<String, Object> outagePhase() throws Exception {
        System.err.printf(Locale.ROOT, "bench: ==== phase outage: %,d conversions/s; the fakes down for %.1f min ====%n", arrivalRate, outageMinutes);
        fakes.up();
        awaitSettled();
        connect();
        long phaseStart = System.nanoTime();
        Payloads payloads = new Payloads("bench-" + runId + "-outage-");
        Map<String, Object> out = new LinkedHashMap<>();
        try (LoadClient c = LoadClient.create("jetty", target.baseUrl(), 256);
             Arrivals arrivals = new Arrivals(c, Workload.single(payloads), token, arrivalRate)) {
            monitor.begin("before", destinations, quiet);
            arrivals.start("before");
            Thread.sleep(Duration.ofSeconds(beforeOutageSeconds));
            List<DeliveryMonitor.Sample> steady = monitor.since(phaseStart + Duration.ofSeconds(Math.min(10, beforeOutageSeconds / 2)).toNanos());
            Map<String, Long> steadyMaxOpen = new LinkedHashMap<>();
            for (String type : FakePlatforms.NAMES) steadyMaxOpen.put(type, steady.stream().mapToLong(x -> x.open(type)).max().orElse(0));

            fakes.down();
            long down = System.nanoTime();
            arrivals.part("outage");
            monitor.begin("outage", destinations, quiet);
            Thread.sleep(Duration.ofMillis((long) (outageMinutes * 60_000)));
            DeliveryMonitor.Sample atUp = monitor.sampleNow();
            fakes.up();
            long up = System.nanoTime();
            arrivals.part("recovery");
            monitor.begin("recovery", destinations, quiet);
            Map<String, Long> threshold = new LinkedHashMap<>();
            for (String type : FakePlatforms.NAMES) threshold.put(type, Math.max(100, Math.max(2L * arrivalRate, steadyMaxOpen.get(type) * 3 / 2)));
            Map<String, Long> drainedAt = new LinkedHashMap<>();
            long limit = Math.min(deadline, up + Duration.ofMillis((long) (drainLimitMinutes * 60_000)).toNanos());
            while (drainedAt.size() < FakePlatforms.NAMES.size() && System.nanoTime() < limit) {
                Thread.sleep(250);
                DeliveryMonitor.Sample s = monitor.latest();
                if (s == null || s.nanos() < up) continue;
                for (String type : FakePlatforms.NAMES) {
                    if (!drainedAt.containsKey(type) && s.open(type) <= threshold.get(type) && s.sent(type) > atUp.sent(type)) {
                        drainedAt.put(type, s.nanos());
                    }
                }
            }
            long end = System.nanoTime();
            monitor.end();
            arrivals.close();
            List<DeliveryMonitor.Sample> recovery = new ArrayList<>();
            recovery.add(atUp);
            recovery.addAll(monitor.since(up));

            Map<String, Object> before = new LinkedHashMap<>();
            Map<String, Object> steadySent = new LinkedHashMap<>();
            for (String type : FakePlatforms.NAMES) steadySent.put(type, Sampler.round(meanRate(steady, type)));
            before.put("sent_per_second", steadySent);
            before.put("max_open_per_destination", steadyMaxOpen);
            out.put("before_outage", before);
            Map<String, Object> per = new LinkedHashMap<>();
            double minGross = Double.MAX_VALUE, minNet = Double.MAX_VALUE, minEffective = Double.MAX_VALUE;
            for (String type : FakePlatforms.NAMES) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("backlog_when_back", atUp.open(type));
                m.put("drained_threshold", threshold.get(type));
                // the first sample after the fakes came back in which the destination had sent more
                DeliveryMonitor.Sample prev = atUp, first = null;
                for (DeliveryMonitor.Sample s : recovery) {
                    if (s == atUp) continue;
                    if (s.sent(type) > atUp.sent(type)) {
                        first = s;
                        break;
                    }
                    prev = s;
                }
                Long drained = drainedAt.get(type);
                m.put("drained", drained != null);
                m.put("first_send_after_up_seconds", first == null ? null : Sampler.round((first.nanos() - up) / 1e9));
                m.put("last_sample_before_it_seconds", first == null ? null : Sampler.round((prev.nanos() - up) / 1e9));
                if (first != null && drained != null) {
                    DeliveryMonitor.Sample at = sampleAt(recovery, drained);
                    double secs = (at.nanos() - prev.nanos()) / 1e9;
                    long sent = at.sent(type) - prev.sent(type);
                    long net = prev.open(type) - at.open(type);
                    double gross = sent / secs, netRate = net / secs;
                    double effective = (atUp.open(type) - at.open(type)) / ((at.nanos() - up) / 1e9);
                    m.put("draining_seconds", Sampler.round(secs));
                    m.put("recovered_after_up_seconds", Sampler.round((at.nanos() - up) / 1e9));
                    m.put("sent_while_draining", sent);
                    m.put("gross_sent_per_second", Sampler.round(gross));
                    m.put("net_backlog_decrease_per_second", Sampler.round(netRate));
                    m.put("effective_from_up_per_second", Sampler.round(effective));
                    m.put("gross_per_arrival", round3(gross / arrivalRate));
                    m.put("net_per_arrival", round3(netRate / arrivalRate));
                    m.put("effective_per_arrival", round3(effective / arrivalRate));
                    minGross = Math.min(minGross, gross);
                    minNet = Math.min(minNet, netRate);
                    minEffective = Math.min(minEffective, effective);
                } else {
                    minGross = minNet = minEffective = 0;
                }
                m.put("dead", recovery.get(recovery.size() - 1).perDestination().get(type)[2]);
                m.put("peak_sent_per_second_1s", Sampler.round(peak(recovery, type)));
                per.put(type, m);
            }
            out.put("destinations", per);
            out.put("min_gross_sent_per_second", Sampler.round(minGross));
            out.put("min_net_per_second", Sampler.round(minNet));
            out.put("min_effective_per_second", Sampler.round(minEffective));
            out.put("gross_per_arrival", round3(minGross / arrivalRate));
            out.put("net_per_arrival", round3(minNet / arrivalRate));
            out.put("effective_per_arrival", round3(minEffective / arrivalRate));
            Map<String, Object> arr = new LinkedHashMap<>();
            arr.put("intended_per_second", arrivalRate);
            arr.put("achieved_per_second", Sampler.round(arrivals.achievedRate()));
            arr.put("accepted", arrivals.accepted.sum());
            arr.put("errors", arrivals.bad.sum());
            arr.put("unanswered", arrivals.unanswered());
            Map<String, Object> lat = new LinkedHashMap<>();
            arrivals.parts().forEach((name, st) -> lat.put(name, Map.of("count", st.latencyUs.getTotalCount(),
                    "p50_ms", Sampler.round(st.latencyUs.getValueAtPercentile(50) / 1000.0),
                    "p99_ms", Sampler.round(st.latencyUs.getValueAtPercentile(99) / 1000.0),
                    "max_ms", Sampler.round(st.latencyUs.getMaxValue() / 1000.0))));
            arr.put("ingest_latency_by_part", lat);
            out.put("arrivals", arr);
            out.put("outage_seconds", Sampler.round((up - down) / 1e9));
            out.put("after_up_observed_seconds", Sampler.round((end - up) / 1e9));
            out.put("monitor_sample_ms_median", medianSampleMillis(recovery));
            out.put("series_after_up", series(recovery, up));
        }
        awaitSettled();
        awaitOutboxEmpty(Duration.ofMinutes(2));
        out.put("seconds", Sampler.round((System.nanoTime() - phaseStart) / 1e9));
        retire("outage");
        return out;
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until the identity, attribution and delivery stages have no lag; answers the seconds waited. */
    /**
     * Waits until the stages have caught up: every lag 0 on two scrapes {@value #SETTLED_APART_MILLIS} ms apart, since
     * a lag on /metrics may be up to a second old and a stage's lag reads 0 until the one before it has moved.
     */
    private double awaitSettled() throws InterruptedException {
        long start = System.nanoTime();
        long limit = Math.min(deadline, start + Duration.ofSeconds(settleLimitSeconds).toNanos());
        long zeroSince = -1;
        while (System.nanoTime() < limit) {
            Map<String, Double> m = metrics();
            double i = m.getOrDefault("touchpoint_identity_lag_events", -1.0), a = m.getOrDefault("touchpoint_attribution_lag_events", -1.0),
                    d = m.getOrDefault("touchpoint_delivery_lag_events", -1.0);
            long now = System.nanoTime();
            if (i == 0 && a == 0 && d == 0) {
                if (zeroSince < 0) zeroSince = now;
                else if (now - zeroSince >= SETTLED_APART_MILLIS * 1_000_000L) return (zeroSince - start) / 1e9;
            } else {
                zeroSince = -1;
            }
            Thread.sleep(200);
        }
        System.err.printf(Locale.ROOT, "bench: the stages had not caught up after %.0f s; going on%n", (System.nanoTime() - start) / 1e9);
        return -1;
    }

    private void awaitOutboxEmpty(Duration limit) throws InterruptedException {
        long end = Math.min(deadline, System.nanoTime() + limit.toNanos());
        while (System.nanoTime() < end) {
            if (metrics().getOrDefault("touchpoint_delivery_outbox_open", 0.0) == 0) return;
            Thread.sleep(500);
        }
    }

    private Map<String, Double> metrics() {
        return DeliveryMonitor.scrape(http, target.baseUrl() + "/metrics");
    }

    /** Per destination of the current set: its open entries (pending or retrying). */
    private Map<String, Long> openByDestination() {
        Map<String, Long> out = new LinkedHashMap<>();
        destinations.forEach((type, id) -> {
            var st = target.store().destinations().stats(id);
            out.put(type, st.count(io.touchpoint.core.destinations.DeliveryStatus.PENDING)
                    + st.count(io.touchpoint.core.destinations.DeliveryStatus.RETRYING));
        });
        return out;
    }

    /** Per destination of the current set: its outbox counted by status. */
    private Map<String, Object> outboxByDestination() {
        Map<String, Object> out = new LinkedHashMap<>();
        destinations.forEach((type, id) -> {
            var st = target.store().destinations().stats(id);
            Map<String, Object> m = new LinkedHashMap<>();
            st.counts().forEach((k, v) -> m.put(k.name().toLowerCase(Locale.ROOT), v));
            out.put(type, m);
        });
        return out;
    }

    /**
     * What each fake accepted during a phase, beside what the outbox says was sent to it, and the contract violations
     * it saw (a violation means the fake refused or would have dropped something the server sent).
     */
    private Map<String, Object> check(String phase, JsonNode before, Map<String, String> ids) {
        JsonNode after = fakes.stats();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("phase", phase);
        long violations = 0;
        Map<String, Object> per = new LinkedHashMap<>();
        for (String type : FakePlatforms.NAMES) {
            var st = target.store().destinations().stats(ids.get(type));
            Map<String, Object> m = new LinkedHashMap<>();
            long accepted = after.get(type).get("accepted").asLong() - before.get(type).get("accepted").asLong();
            long v = after.get(type).get("violations").asLong() - before.get(type).get("violations").asLong();
            m.put("outbox_sent", st.count(io.touchpoint.core.destinations.DeliveryStatus.SENT));
            m.put("outbox_dead", st.count(io.touchpoint.core.destinations.DeliveryStatus.DEAD));
            m.put("outbox_open", st.count(io.touchpoint.core.destinations.DeliveryStatus.PENDING)
                    + st.count(io.touchpoint.core.destinations.DeliveryStatus.RETRYING));
            m.put("outbox_skipped", st.count(io.touchpoint.core.destinations.DeliveryStatus.SKIPPED));
            m.put("fake_requests", after.get(type).get("requests").asLong() - before.get(type).get("requests").asLong());
            m.put("fake_accepted", accepted);
            m.put("fake_violations", v);
            if (v > 0) m.put("violation_samples", after.get(type).get("violation_samples"));
            violations += v;
            per.put(type, m);
        }
        c.put("destinations", per);
        c.put("violations", violations);
        System.err.println("bench: check after " + phase + ": " + per);
        return c;
    }

    /** The load generator's threads are named bench-*; in this program the JDK client threads are the server's senders. */
    @SuppressWarnings("unchecked")
    private static void relabelSides(Map<String, Object> usage) {
        Object groups = usage.get("jvm_threads_cores_by_group");
        Object sides = usage.get("this_jvm_cores_by_side");
        if (!(groups instanceof Map<?, ?> g) || !(sides instanceof Map<?, ?> s)) return;
        double gen = 0, server = 0;
        for (var e : ((Map<String, Double>) g).entrySet()) {
            if (e.getKey().startsWith("bench-") || e.getKey().equals("main")) gen += e.getValue();
            else server += e.getValue();
        }
        Map<String, Object> side = new LinkedHashMap<>((Map<String, Object>) s);
        side.put("server", Sampler.round(server));
        side.put("load_generator", Sampler.round(gen));
        usage.put("this_jvm_cores_by_side", side);
        usage.put("note", "jvm_threads_cores_by_group lists the 15 busiest groups; virtual threads (HTTP handlers, senders, "
                + "GA4/webhook requests) run on the ForkJoinPool carriers; HttpClient-* threads are the server's platform client");
    }

    // ------------------------------------------------------------------ verdicts and output

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
