package io.touchpoint.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the requests of one phase (warm-up, measurement, drain). Every answer lands in exactly
 * one counter: 2xx, non-2xx (by status) or transport failure; only 2xx answers count as throughput.
 */
public final class Stats {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
    /** Latency in microseconds; for the open loop measured from the intended send time. */
    public final Histogram latencyUs = new ConcurrentHistogram(MAX_MICROS, 3);
    /** Open loop only: from the moment the request was actually handed to the client. */
    public final Histogram serviceUs = new ConcurrentHistogram(MAX_MICROS, 3);
    public final LongAdder ok = new LongAdder();
    public final LongAdder acceptedEvents = new LongAdder();
    /** 2xx answers that confirmed fewer new events than the request carried (duplicates, rejections). */
    public final LongAdder partial = new LongAdder();
    public final LongAdder non2xx = new LongAdder();
    public final LongAdder failed = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    public final AtomicReference<String> firstError = new AtomicReference<>();
    /** System.nanoTime() of the last answer recorded here (0 before the first). */
    final AtomicLong lastAnswerNanos = new AtomicLong();

    /** @return the events the answer confirms as stored, or -1 for a failure or a non-2xx answer */
    int record(Workload w, LoadClient.Reply reply, Throwable failure, long latencyNanos, long serviceNanos) {
        latencyUs.recordValue(Math.min(MAX_MICROS, Math.max(0, latencyNanos / 1000)));
        serviceUs.recordValue(Math.min(MAX_MICROS, Math.max(0, serviceNanos / 1000)));
        lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
        if (failure != null) {
            failed.increment();
            failures.computeIfAbsent(failure.getClass().getSimpleName(), k -> new LongAdder()).increment();
            firstError.compareAndSet(null, "transport failure: " + failure);
            return -1;
        }
        statuses.computeIfAbsent(reply.status(), k -> new LongAdder()).increment();
        if (reply.status() / 100 != 2) {
            non2xx.increment();
            firstError.compareAndSet(null, "HTTP " + reply.status() + ": " + clip(reply.body()));
            return -1;
        }
        ok.increment();
        int accepted = w.acceptedEvents(reply.body());
        acceptedEvents.add(accepted);
        if (accepted < w.eventsPerRequest) {
            partial.increment();
            firstError.compareAndSet(null, "2xx with " + accepted + " of " + w.eventsPerRequest
                    + " events accepted: " + clip(reply.body()));
        }
        return accepted;
    }

    long answered() {
        return ok.sum() + non2xx.sum() + failed.sum();
    }

    public Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String clip(String s) {
        if (s == null) return "";
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
