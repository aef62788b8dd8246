package io.touchpoint.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Conversions arriving at a fixed rate for as long as a phase needs (the outage phase does not know its length in
 * advance): open loop as in {@link LoadRunner#openLoop}, request i due at start + i / rate whatever earlier answers
 * did, latency from that intended time, recorded into the {@link Stats} of the part of the phase it was due in.
 */
public final class Arrivals implements AutoCloseable {
    private final LoadClient client;
    private final Workload work;
    private final String token;
    private final double rate;
    private final Map<String, Stats> parts = new LinkedHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    public final LongAdder accepted = new LongAdder();
    public final LongAdder bad = new LongAdder();
    private volatile Stats current;
    private volatile boolean stop;
    private Thread thread;
    private long startNanos;
    private volatile long sent;

    public Arrivals(LoadClient client, Workload work, String token, double rate) {
        this.client = client;
        this.work = work;
        this.token = token;
        this.rate = rate;
    }

    /** Later requests are recorded under {@code name}. */
    public synchronized void part(String name) {
        current = parts.computeIfAbsent(name, n -> new Stats());
    }

    public synchronized Map<String, Stats> parts() {
        return new LinkedHashMap<>(parts);
    }

    public void start(String firstPart) {
        part(firstPart);
        startNanos = System.nanoTime();
        thread = Thread.ofPlatform().name("bench-arrivals").daemon(true).start(this::run);
    }

    /** Requests sent per second since the start. */
    public double achievedRate() {
        return sent / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }

    private void run() {
        for (long i = 0; !stop; i++) {
            long intended = startNanos + (long) (i * 1e9 / rate);
            long now;
            while ((now = System.nanoTime()) < intended && !stop) LockSupport.parkNanos(Math.min(intended - now, 50_000_000));
            if (stop) break;
            Stats s = current;
            inFlight.incrementAndGet();
            CompletableFuture<LoadClient.Reply> f;
            try {
                f = client.send(work.method, work.path, token, work.nextBody());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            sent++;
            long sentAt = now;
            f.whenComplete((reply, failure) -> {
                long t1 = System.nanoTime();
                int n = s.record(work, reply, failure, t1 - intended, t1 - sentAt);
                if (n < 0) bad.increment();
                else accepted.add(n);
                inFlight.decrementAndGet();
            });
        }
    }

    /** Stops sending and waits (up to a minute) for the answers still due. */
    @Override
    public void close() {
        stop = true;
        if (thread == null) return;
        try {
            thread.join();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int unanswered() {
        return inFlight.get();
    }
}
