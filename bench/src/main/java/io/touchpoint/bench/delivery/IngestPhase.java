package io.touchpoint.bench.delivery;

import io.touchpoint.bench.load.LoadClient;
import io.touchpoint.bench.load.LoadRunner;
import io.touchpoint.bench.load.Machine;
import io.touchpoint.bench.load.Payloads;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Stats;
import io.touchpoint.bench.load.Workload;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.touchpoint.bench.delivery.DeliveryVerdicts.cast;
import static io.touchpoint.bench.delivery.DeliveryVerdicts.fmt;
import static io.touchpoint.bench.delivery.DeliveryVerdicts.num;
import static io.touchpoint.bench.delivery.DeliveryVerdicts.round3;

/**
 * The delivery benchmark's {@code ingest} phase (target 3: ingest within 10% with five destinations): HTTP ingest
 * measured as {@code run-ingest.sh} does (single events closed loop for throughput and p99, the steady open loop for
 * p99) with delivery off, idle and busy ({@link DeliveryMode}), the order changing per round, and what delivery did in
 * each window recorded beside.
 */
final class IngestPhase {
    private final DeliveryRun run;
    private final DeliveryBench options;
    /** Whether the destinations were last given a backlog (a busy window), which an idle window must not inherit. */
    private boolean busyBefore;
    /** System.nanoTime() when the last ingest window or fill ended. */
    private long lastIngestEnd;

    IngestPhase(DeliveryRun run, DeliveryBench options) {
        this.run = run;
        this.options = options;
    }

    /** One measured ingest window. */
    private record IngestRow(String scenario, DeliveryMode mode, int round, LoadRunner.Outcome o,
                             Map<String, Object> usage, Map<String, Object> delivery) {
        double eventsPerSecond() {
            return o.measured().acceptedEvents.sum() / o.windowSeconds();
        }

        double ms(double p) {
            Histogram h = o.measured().latencyUs;
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
        }
    }

    Map<String, Object> run() throws Exception {
        System.err.println("bench: ==== phase ingest: without destinations, with five idle, with five busy ====");
        long phaseStart = System.nanoTime();
        List<Map<String, Object>> busyFills = new ArrayList<>();
        if (options.jitWarmupSeconds > 0) {
            System.err.printf(Locale.ROOT, "bench: warm-up round, %d s per scenario, not measured%n", options.jitWarmupSeconds);
            prepare(DeliveryMode.IDLE, "warmup");
            ingest("single", DeliveryMode.IDLE, 0, true);
            ingest("steady", DeliveryMode.IDLE, 0, true);
            prepare(DeliveryMode.OFF, "warmup");
            ingest("single", DeliveryMode.OFF, 0, true);
        }
        List<IngestRow> rows = new ArrayList<>();
        for (int r = 1; r <= options.rounds; r++) {
            List<DeliveryMode> order = new ArrayList<>(modes());
            // off first in odd rounds and last in even ones, so neither side always follows the other
            if (r % 2 == 0) order.add(order.removeFirst());
            for (DeliveryMode mode : order) {
                for (String scenario : List.of("single", "steady")) {
                    Map<String, Object> fill = prepare(mode, scenario + "-r" + r);
                    if (fill != null) busyFills.add(fill);
                    rows.add(ingest(scenario, mode, r, false));
                }
            }
        }
        double settled = run.awaitSettled();
        run.retire("ingest, last destinations");

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
        out.put("comparison", comparison(rows));
        out.put("settled_after_last_window_seconds", Sampler.round(settled));
        return out;
    }

    /** The modes compared, in the order of {@link DeliveryMode}: off first. */
    private List<DeliveryMode> modes() {
        return Arrays.stream(DeliveryMode.values()).filter(m -> options.modes.contains(m.key())).toList();
    }

    /** Per scenario and mode, all rounds together; then idle and busy against off, the ratios target 3 is read from. */
    private Map<String, Object> comparison(List<IngestRow> rows) {
        Map<String, Object> compare = new LinkedHashMap<>();
        for (String scenario : List.of("single", "steady")) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (DeliveryMode mode : modes()) {
                List<IngestRow> rs = rows.stream().filter(x -> x.scenario().equals(scenario) && x.mode() == mode).toList();
                Histogram merged = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
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
            for (DeliveryMode mode : modes().subList(1, modes().size())) {
                Map<String, Object> on = cast(c.get(mode.key()));
                c.put(mode.key() + "_rate_ratio", round3(num(on.get("events_per_second")) / num(off.get("events_per_second"))));
                c.put(mode.key() + "_p99_ratio", round3(num(on.get("p99_ms")) / num(off.get("p99_ms"))));
            }
            compare.put(scenario, c);
        }
        return compare;
    }

    /**
     * Puts delivery in the window's state; answers what a busy window's backlog fill did (null otherwise). Always waits
     * first for the stages to have routed what they were given: once no destination is enabled, the delivery stage
     * moves its cursor past events without reading them.
     */
    private Map<String, Object> prepare(DeliveryMode mode, String label) throws Exception {
        run.awaitSettled();
        switch (mode) {
            case OFF -> {
                if (run.destinations != null && run.enabled) {
                    run.admin.setEnabled(run.destinations, false);
                    run.enabled = false;
                    Thread.sleep(1500); // the senders' supervisor stops their workers within a second
                }
                return null;
            }
            case IDLE -> {
                if (run.destinations != null && busyBefore) {
                    // what is left of a busy window's backlog would keep the senders working through this window
                    run.retire("ingest before idle " + label);
                }
                if (run.destinations == null) {
                    run.connect();
                } else {
                    // the same destinations, as in production: deleting them with their outbox before every window would
                    // leave each idle window a WAL of hundreds of thousands of deletes to checkpoint
                    if (!run.enabled) {
                        run.admin.setEnabled(run.destinations, true);
                        run.enabled = true;
                        Thread.sleep(1500); // the senders' supervisor starts their workers within a second
                    }
                    run.awaitOutboxEmpty(Duration.ofMinutes(5));
                }
                busyBefore = false;
                return null;
            }
            default -> {
                busyBefore = true;
                if (run.destinations == null) run.connect();
                if (!run.enabled) {
                    run.admin.setEnabled(run.destinations, true);
                    run.enabled = true;
                }
                return busyFill(label);
            }
        }
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
        run.fakes.down();
        Instant from = Instant.now().minusSeconds(6);
        Payloads payloads = new Payloads("bench-" + run.runId + "-busyfill-" + label + "-");
        LoadRunner.Outcome o;
        try (LoadClient c = LoadClient.create("jetty", run.target.baseUrl(), 8)) {
            o = new LoadRunner(c, Workload.batch(payloads, 100), run.token, "busy-fill", true)
                    .closedLoop(8, Duration.ofSeconds(1), Duration.ofSeconds(Math.max(1, options.busyFillSeconds - 1)), DeliveryRun.NO_HOOKS);
        }
        lastIngestEnd = System.nanoTime();
        double routed = run.awaitSettled();
        run.fakes.up();
        Instant to = Instant.now().plusSeconds(60);
        long replayed = 0;
        for (String id : run.destinations.values()) replayed += run.admin.replayRange(id, from, to);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", label);
        m.put("conversions", o.acceptedEventsTotal());
        m.put("routed_seconds", Sampler.round(routed));
        m.put("entries_replayed", replayed);
        System.err.printf(Locale.ROOT, "bench: busy fill — %,d conversions ingested with the fakes down, routed %.1f s after, "
                + "%,d entries replayed: every sender has a backlog%n", o.acceptedEventsTotal(), routed, replayed);
        return m;
    }

    private IngestRow ingest(String scenario, DeliveryMode mode, int round, boolean warmupRound) throws Exception {
        String label = (warmupRound ? "warmup-" : "") + scenario + "-" + mode.key() + (round > 0 ? "-r" + round : "");
        if (mode != DeliveryMode.BUSY) run.awaitSettled(); // a busy window starts at once, while its backlog is fresh
        Payloads payloads = new Payloads("bench-" + run.runId + "-" + label + "-");
        Workload work = Workload.single(payloads);
        boolean open = scenario.equals("steady");
        int connections = open ? 256 : options.singleConnections;
        int warmup = warmupRound ? options.jitWarmupSeconds : options.warmupSeconds, duration = warmupRound ? 1 : options.durationSeconds;
        System.err.printf(Locale.ROOT, "bench: %s — %s, %d s warm-up + %d s measured, outbox open %s%n", label,
                open ? String.format(Locale.ROOT, "open, %,d ev/s", options.steadyRate) : "closed, " + connections + " conn",
                warmup, duration, run.destinations == null ? "-" : run.openByDestination());
        Sampler.Snapshot[] window = new Sampler.Snapshot[2];
        @SuppressWarnings("unchecked")
        Map<String, Double>[] edge = new Map[2];
        long[] cursor = new long[2];
        double[] fakesCpu = new double[2];
        LoadRunner.WindowHooks hooks = new LoadRunner.WindowHooks() {
            @Override
            public void measureStarts() {
                mark(0);
            }

            @Override
            public void measureEnds() {
                mark(1);
            }

            private void mark(int edgeIndex) {
                window[edgeIndex] = run.sampler.take();
                edge[edgeIndex] = run.metrics();
                cursor[edgeIndex] = run.target.store().destinations().cursor();
                fakesCpu[edgeIndex] = run.fakes.cpuSeconds();
            }
        };
        LoadRunner.Outcome o;
        try (LoadClient c = LoadClient.create("jetty", run.target.baseUrl(), connections)) {
            LoadRunner runner = new LoadRunner(c, work, run.token, label, run.quiet);
            o = open ? runner.openLoop(options.steadyRate, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), hooks)
                    : runner.closedLoop(connections, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), hooks);
        }
        lastIngestEnd = System.nanoTime();
        Map<String, Object> usage = run.sampler.between(window[0], window[1]);
        double seconds = (window[1].nanos() - window[0].nanos()) / 1e9;
        DeliveryRun.relabelSides(usage);
        usage.put("fakes_process_cores", Sampler.round((fakesCpu[1] - fakesCpu[0]) / seconds));
        Map<String, Object> delivery = new LinkedHashMap<>();
        if (run.destinations != null && run.enabled) delivery.put("open_per_destination_after_window", run.openByDestination());
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
        m.put("load", r.scenario().equals("steady") ? "open loop, " + options.steadyRate + " events/s"
                : "closed loop, " + options.singleConnections + " connections");
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
}
