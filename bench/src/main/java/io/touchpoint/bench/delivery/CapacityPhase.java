package io.touchpoint.bench.delivery;

import io.touchpoint.bench.load.LoadClient;
import io.touchpoint.bench.load.LoadRunner;
import io.touchpoint.bench.load.Payloads;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.touchpoint.bench.delivery.DeliverySamples.firstCursor;
import static io.touchpoint.bench.delivery.DeliverySamples.medianSampleMillis;
import static io.touchpoint.bench.delivery.DeliverySamples.peak;
import static io.touchpoint.bench.delivery.DeliverySamples.routingWhileBusy;

/**
 * The delivery benchmark's {@code capacity} phase (target 1: delivery throughput): with the fakes down, a burst of
 * batch ingest fills the outbox; once the delivery stage has routed all of it, the fakes come back and each
 * destination's entries are replayed (due now, tries afresh, which also ends the destination's pause). Each
 * destination's backlog divided by the time to empty it is its delivery throughput; the stage's routing rate is
 * measured while it works the fill off.
 */
final class CapacityPhase {
    /** The delivery stage's thread, named by the server's stage runner. */
    private static final String STAGE_THREAD = "delivery-stage";

    private final DeliveryRun run;
    private final DeliveryBench options;

    CapacityPhase(DeliveryRun run, DeliveryBench options) {
        this.run = run;
        this.options = options;
    }

    Map<String, Object> run() throws Exception {
        System.err.println("bench: ==== phase capacity: a backlog made while the fakes are down, then sent as fast as it goes ====");
        run.awaitSettled();
        run.fakes.down();
        run.connect();
        Instant fillFrom = Instant.now();
        long phaseStart = System.nanoTime();
        long cursorAtFill = run.target.store().destinations().cursor();
        long stageCpuAtFill = Sampler.threadCpuNanos(STAGE_THREAD);
        run.monitor.begin("fill", run.destinations, run.quiet);
        Payloads payloads = new Payloads("bench-" + run.runId + "-fill-");
        LoadRunner.Outcome o;
        try (LoadClient c = LoadClient.create("jetty", run.target.baseUrl(), 8)) {
            LoadRunner runner = new LoadRunner(c, Workload.batch(payloads, 100), run.token, "fill", run.quiet);
            o = runner.closedLoop(8, Duration.ofSeconds(1), Duration.ofSeconds(options.fillSeconds), DeliveryRun.NO_HOOKS);
        }
        long ingestEnd = System.nanoTime();
        long cursorAtIngestEnd = run.target.store().destinations().cursor();
        long stageCpuAtIngestEnd = Sampler.threadCpuNanos(STAGE_THREAD);
        long filled = o.acceptedEventsTotal();
        System.err.printf(Locale.ROOT, "bench: fill — %,d conversions accepted in %d s (%,.0f/s) while the fakes are down; "
                + "waiting for the delivery stage to route them%n", filled, options.fillSeconds + 1, filled / (options.fillSeconds + 1.0));
        double settled = run.awaitSettled();
        long routedEnd = System.nanoTime();
        long cursorEnd = run.target.store().destinations().cursor();
        long stageCpuNow = Sampler.threadCpuNanos(STAGE_THREAD);
        long stageCpu = stageCpuNow - stageCpuAtFill, stageCpuAfterIngest = stageCpuNow - stageCpuAtIngestEnd;
        List<DeliveryMonitor.Sample> fillSamples = run.monitor.since(phaseStart);
        DeliveryMonitor.Sample before = run.monitor.sampleNow();
        Map<String, Long> backlog = new LinkedHashMap<>();
        for (String type : FakePlatforms.NAMES) backlog.put(type, before.open(type));
        System.err.printf(Locale.ROOT, "bench: routed (stages caught up %.1f s after the fill); outbox per destination %s;"
                + " the delivery stage's thread used %.1f µs of CPU per event routed (%,d events; %.1f µs for the %,d after"
                + " ingest ended)%n", settled, backlog, stageCpu / 1e3 / Math.max(1, cursorEnd - cursorAtFill),
                cursorEnd - cursorAtFill, stageCpuAfterIngest / 1e3 / Math.max(1, cursorEnd - cursorAtIngestEnd),
                cursorEnd - cursorAtIngestEnd);

        run.fakes.up();
        run.monitor.begin("capacity", run.destinations, run.quiet);
        Sampler.Snapshot s0 = run.sampler.take();
        double fakesCpu0 = run.fakes.cpuSeconds();
        long drainStart = System.nanoTime();
        Map<String, Long> startedAt = new LinkedHashMap<>();
        Map<String, Long> replayed = new LinkedHashMap<>();
        Instant to = Instant.now().plusSeconds(60);
        for (String type : FakePlatforms.NAMES) {
            startedAt.put(type, System.nanoTime());
            replayed.put(type, run.admin.replayRange(run.destinations.get(type), fillFrom.minusSeconds(6), to));
        }
        Map<String, Long> drainedAt = new LinkedHashMap<>();
        long limit = Math.min(run.deadline, drainStart + Duration.ofSeconds(options.capacityLimitSeconds).toNanos());
        while (drainedAt.size() < FakePlatforms.NAMES.size() && System.nanoTime() < limit) {
            Thread.sleep(250);
            DeliveryMonitor.Sample s = run.monitor.latest();
            if (s == null || s.nanos() < drainStart) continue;
            for (String type : FakePlatforms.NAMES) {
                if (!drainedAt.containsKey(type) && s.open(type) == 0) drainedAt.put(type, s.nanos());
            }
        }
        long drainEnd = System.nanoTime();
        Sampler.Snapshot s1 = run.sampler.take();
        double fakesCpu1 = run.fakes.cpuSeconds();
        run.monitor.end();
        DeliveryMonitor.Sample after = run.monitor.sampleNow();
        List<DeliveryMonitor.Sample> drainSamples = run.monitor.since(drainStart);

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> fill = new LinkedHashMap<>();
        fill.put("conversions_accepted", filled);
        fill.put("ingest_seconds", options.fillSeconds + 1);
        fill.put("ingest_events_per_second", Sampler.round(filled / (options.fillSeconds + 1.0)));
        fill.put("stages_caught_up_seconds_after_fill", Sampler.round(settled));
        double routeSeconds = (routedEnd - ingestEnd) / 1e9;
        fill.put("stage_routed_after_ingest_ended", cursorEnd - cursorAtIngestEnd);
        fill.put("stage_routing_events_per_second_after_ingest_ended", Sampler.round((cursorEnd - cursorAtIngestEnd) / routeSeconds));
        fill.put("stage_routing_events_per_second_busy_seconds", routingWhileBusy(fillSamples));
        fill.put("stage_routing_events_per_second_overall", Sampler.round((cursorEnd - firstCursor(fillSamples)) / ((routedEnd - phaseStart) / 1e9)));
        // CPU per event is what a shared machine does not distort: the stage's thread over the fill and the routing after it
        fill.put("stage_thread_cpu_seconds", Sampler.round(stageCpu / 1e9));
        fill.put("stage_thread_cpu_micros_per_routed_event", cursorEnd > cursorAtFill
                ? Sampler.round(stageCpu / 1e3 / (cursorEnd - cursorAtFill)) : null);
        fill.put("stage_thread_cpu_micros_per_event_routed_after_ingest_ended", cursorEnd > cursorAtIngestEnd
                ? Sampler.round(stageCpuAfterIngest / 1e3 / (cursorEnd - cursorAtIngestEnd)) : null);
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
        Map<String, Object> usage = run.sampler.between(s0, s1);
        DeliveryRun.relabelSides(usage);
        usage.put("fakes_process_cores", Sampler.round((fakesCpu1 - fakesCpu0) / ((s1.nanos() - s0.nanos()) / 1e9)));
        out.put("resources_while_draining", usage);
        out.put("monitor_sample_ms_median", medianSampleMillis(drainSamples));
        out.put("seconds", Sampler.round((System.nanoTime() - phaseStart) / 1e9));
        System.err.printf(Locale.ROOT, "bench: capacity — %s; slowest %s at %,.0f/s; routing %s events/s after the fill%n",
                per, slowest, min, fill.get("stage_routing_events_per_second_after_ingest_ended"));
        run.retire("capacity");
        return out;
    }
}
