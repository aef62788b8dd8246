package io.touchpoint.bench.delivery;

import io.touchpoint.bench.load.Sampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Figures read from the delivery monitor's per-second samples: rates, peaks and the series after an outage. */
final class DeliverySamples {
    private DeliverySamples() {
    }

    /** The mean of the per-second stage routing rates over the seconds that began with at least 1,000 events to route. */
    static Double routingWhileBusy(List<DeliveryMonitor.Sample> samples) {
        double sum = 0;
        int n = 0;
        for (int i = 1; i < samples.size(); i++) {
            DeliveryMonitor.Sample a = samples.get(i - 1), b = samples.get(i);
            if (a.metric("touchpoint_delivery_lag_events") >= 1000) {
                sum += (b.cursor() - a.cursor()) / ((b.nanos() - a.nanos()) / 1e9);
                n++;
            }
        }
        return n == 0 ? null : Sampler.round(sum / n);
    }

    static long firstCursor(List<DeliveryMonitor.Sample> samples) {
        return samples.isEmpty() ? 0 : samples.get(0).cursor();
    }

    static double peak(List<DeliveryMonitor.Sample> samples, String type) {
        double best = 0;
        for (int i = 1; i < samples.size(); i++) {
            DeliveryMonitor.Sample a = samples.get(i - 1), b = samples.get(i);
            if (a.sent(type) < 0 || b.sent(type) < 0) continue;
            best = Math.max(best, (b.sent(type) - a.sent(type)) / ((b.nanos() - a.nanos()) / 1e9));
        }
        return best;
    }

    static double meanRate(List<DeliveryMonitor.Sample> samples, String type) {
        if (samples.size() < 2) return Double.NaN;
        DeliveryMonitor.Sample a = samples.get(0), b = samples.get(samples.size() - 1);
        return (b.sent(type) - a.sent(type)) / ((b.nanos() - a.nanos()) / 1e9);
    }

    static DeliveryMonitor.Sample sampleAt(List<DeliveryMonitor.Sample> samples, long nanos) {
        for (DeliveryMonitor.Sample s : samples) if (s.nanos() == nanos) return s;
        return samples.get(samples.size() - 1);
    }

    static Double medianSampleMillis(List<DeliveryMonitor.Sample> samples) {
        if (samples.isEmpty()) return null;
        double[] v = samples.stream().mapToDouble(DeliveryMonitor.Sample::sampleMillis).sorted().toArray();
        return Sampler.round(v[v.length / 2]);
    }

    /** Seconds after the fakes came back: open entries and sent per destination, every sample. */
    static List<Map<String, Object>> series(List<DeliveryMonitor.Sample> samples, long up) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeliveryMonitor.Sample s : samples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", Sampler.round((s.nanos() - up) / 1e9));
            Map<String, Object> open = new LinkedHashMap<>(), sent = new LinkedHashMap<>();
            s.perDestination().forEach((type, c) -> {
                open.put(type, c[0]);
                sent.put(type, c[1]);
            });
            m.put("open", open);
            m.put("sent", sent);
            m.put("load", s.load());
            out.add(m);
        }
        return out;
    }
}
