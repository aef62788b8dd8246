package io.touchpoint.bench.delivery;

import io.touchpoint.bench.load.Arrivals;
import io.touchpoint.bench.load.LoadClient;
import io.touchpoint.bench.load.Payloads;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.touchpoint.bench.delivery.DeliverySamples.meanRate;
import static io.touchpoint.bench.delivery.DeliverySamples.medianSampleMillis;
import static io.touchpoint.bench.delivery.DeliverySamples.peak;
import static io.touchpoint.bench.delivery.DeliverySamples.sampleAt;
import static io.touchpoint.bench.delivery.DeliverySamples.series;
import static io.touchpoint.bench.delivery.DeliveryVerdicts.round3;

/**
 * The delivery benchmark's {@code outage} phase (target 2: the backlog after an outage drains at 5x the arrival
 * rate): conversions arrive at a steady rate throughout; the fakes go down for the outage, come back, and the senders
 * find them by themselves (their backoff). Each destination's drain rate is compared with the arrival rate.
 */
final class OutagePhase {
    private final DeliveryRun run;
    private final int arrivalRate;
    private final int beforeOutageSeconds;
    private final double outageMinutes;
    private final double drainLimitMinutes;

    OutagePhase(DeliveryRun run, DeliveryBench options) {
        this.run = run;
        this.arrivalRate = options.arrivalRate;
        this.beforeOutageSeconds = options.beforeOutageSeconds;
        this.outageMinutes = options.outageMinutes;
        this.drainLimitMinutes = options.drainLimitMinutes;
    }

    Map<String, Object> run() throws Exception {
        System.err.printf(Locale.ROOT, "bench: ==== phase outage: %,d conversions/s; the fakes down for %.1f min ====%n", arrivalRate, outageMinutes);
        run.fakes.up();
        run.awaitSettled();
        run.connect();
        long phaseStart = System.nanoTime();
        Payloads payloads = new Payloads("bench-" + run.runId + "-outage-");
        Map<String, Object> out = new LinkedHashMap<>();
        try (LoadClient c = LoadClient.create("jetty", run.target.baseUrl(), 256);
             Arrivals arrivals = new Arrivals(c, Workload.single(payloads), run.token, arrivalRate)) {
            run.monitor.begin("before", run.destinations, run.quiet);
            arrivals.start("before");
            Thread.sleep(Duration.ofSeconds(beforeOutageSeconds));
            List<DeliveryMonitor.Sample> steady = run.monitor.since(phaseStart + Duration.ofSeconds(Math.min(10, beforeOutageSeconds / 2)).toNanos());
            Map<String, Long> steadyMaxOpen = new LinkedHashMap<>();
            for (String type : FakePlatforms.NAMES) steadyMaxOpen.put(type, steady.stream().mapToLong(x -> x.open(type)).max().orElse(0));

            run.fakes.down();
            long down = System.nanoTime();
            arrivals.part("outage");
            run.monitor.begin("outage", run.destinations, run.quiet);
            Thread.sleep(Duration.ofMillis((long) (outageMinutes * 60_000)));
            DeliveryMonitor.Sample atUp = run.monitor.sampleNow();
            run.fakes.up();
            long up = System.nanoTime();
            arrivals.part("recovery");
            run.monitor.begin("recovery", run.destinations, run.quiet);
            Map<String, Long> threshold = new LinkedHashMap<>();
            for (String type : FakePlatforms.NAMES) threshold.put(type, Math.max(100, Math.max(2L * arrivalRate, steadyMaxOpen.get(type) * 3 / 2)));
            Map<String, Long> drainedAt = new LinkedHashMap<>();
            long limit = Math.min(run.deadline, up + Duration.ofMillis((long) (drainLimitMinutes * 60_000)).toNanos());
            while (drainedAt.size() < FakePlatforms.NAMES.size() && System.nanoTime() < limit) {
                Thread.sleep(250);
                DeliveryMonitor.Sample s = run.monitor.latest();
                if (s == null || s.nanos() < up) continue;
                for (String type : FakePlatforms.NAMES) {
                    if (!drainedAt.containsKey(type) && s.open(type) <= threshold.get(type) && s.sent(type) > atUp.sent(type)) {
                        drainedAt.put(type, s.nanos());
                    }
                }
            }
            long end = System.nanoTime();
            run.monitor.end();
            arrivals.close();
            List<DeliveryMonitor.Sample> recovery = new ArrayList<>();
            recovery.add(atUp);
            recovery.addAll(run.monitor.since(up));

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
                // the first sample after the run.fakes came back in which the destination had sent more
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
            out.put("arrivals", arrivalsDocument(arrivals));
            out.put("outage_seconds", Sampler.round((up - down) / 1e9));
            out.put("after_up_observed_seconds", Sampler.round((end - up) / 1e9));
            out.put("monitor_sample_ms_median", medianSampleMillis(recovery));
            out.put("series_after_up", series(recovery, up));
        }
        run.awaitSettled();
        run.awaitOutboxEmpty(Duration.ofMinutes(2));
        out.put("seconds", Sampler.round((System.nanoTime() - phaseStart) / 1e9));
        run.retire("outage");
        return out;
    }

    /** The arrivals as sent: the rate achieved against the one intended, and ingest latency per part of the phase. */
    private Map<String, Object> arrivalsDocument(Arrivals arrivals) {
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
        return arr;
    }
}
