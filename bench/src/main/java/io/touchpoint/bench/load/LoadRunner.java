package io.touchpoint.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one workload through one client, either closed-loop (N connections, each sending its next request
 * as soon as the previous answer arrives) or open-loop (requests at fixed intended times, whatever the
 * answers do, latency measured from the intended time so a stalled server cannot hide its stall: no
 * coordinated omission). A warm-up at the same load precedes the measured window; requests still in
 * flight when the window closes are drained and counted in neither.
 */
public final class LoadRunner {
    /** Called on the driving thread at the edges of the measured window (e.g. to sample server metrics). */
    public interface WindowHooks {
        void measureStarts();

        void measureEnds();
    }

    /**
     * The measured window and everything sent in the scenario. {@code windowSeconds} is the time over which
     * the measured answers arrived: for the closed loop the window itself; for the open loop the window, or
     * longer when answers to requests due in it kept arriving after it closed (the server fell behind).
     */
    public record Outcome(Stats measured, double windowSeconds, List<Long> perSecondRequests, List<Long> perSecondEvents,
                   long acceptedEventsTotal, long answeredTotal, long failedOrNon2xxTotal, int leftInFlight) {
    }

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(90);
    private final LoadClient client;
    private final Workload work;
    private final String token;
    private final String label;
    private final boolean quiet;
    // across all phases: for the store check and the progress line
    private final LongAdder acceptedTotal = new LongAdder();
    private final LongAdder answeredTotal = new LongAdder();
    private final LongAdder badTotal = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScheduledExecutorService retryLater = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("bench-retry").factory());
    private volatile Stats current = new Stats();
    private volatile boolean running = true;
    private volatile String phase = "warm-up";

    public LoadRunner(LoadClient client, Workload work, String token, String label, boolean quiet) {
        this.client = client;
        this.work = work;
        this.token = token;
        this.label = label;
        this.quiet = quiet;
    }

    public Outcome closedLoop(int connections, Duration warmup, Duration measure, WindowHooks hooks) throws InterruptedException {
        Stats warm = current;
        Stats measured = new Stats();
        Ticker ticker = new Ticker();
        for (int i = 0; i < connections; i++) sendClosed();
        Thread.sleep(warmup);
        hooks.measureStarts();
        long start = System.nanoTime();
        current = measured;
        phase = "measure";
        ticker.startWindow();
        Thread.sleep(measure);
        current = new Stats(); // drain: answers to requests still in flight count in neither phase
        long end = System.nanoTime();
        running = false;
        ticker.endWindow();
        phase = "drain";
        hooks.measureEnds();
        int left = drain();
        ticker.stop();
        if (warm.answered() == 0) System.err.println("bench: " + label + ": no answer during the warm-up");
        return outcome(measured, (end - start) / 1e9, ticker, left);
    }

    private void sendClosed() {
        if (!running) return;
        inFlight.incrementAndGet();
        long t0 = System.nanoTime();
        CompletableFuture<LoadClient.Reply> f;
        try {
            f = client.send(work.method, work.path, token, work.nextBody());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((reply, failure) -> {
            long t1 = System.nanoTime();
            account(current, reply, failure, t1 - t0, t1 - t0);
            inFlight.decrementAndGet();
            // a failing connection must neither spin nor recurse: its next request waits a moment
            if (failure == null) sendClosed();
            else retryLater.schedule(this::sendClosed, 10, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * @param requestsPerSecond the intended rate; request i is due at start + i / rate
     */
    public Outcome openLoop(double requestsPerSecond, Duration warmup, Duration measure, WindowHooks hooks)
            throws InterruptedException {
        Stats warm = current;
        Stats measured = new Stats();
        Ticker ticker = new Ticker();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        boolean windowOpen = false;
        for (long i = 0; ; i++) {
            long intended = start + (long) (i * 1e9 / requestsPerSecond);
            if (intended >= measureTo) break;
            if (!windowOpen && intended >= measureFrom) {
                hooks.measureStarts();
                phase = "measure";
                ticker.startWindow();
                windowOpen = true;
            }
            long now;
            while ((now = System.nanoTime()) < intended) LockSupport.parkNanos(intended - now);
            Stats s = intended < measureFrom ? warm : measured; // by intended time: late sends stay in their phase
            inFlight.incrementAndGet();
            CompletableFuture<LoadClient.Reply> f;
            try {
                f = client.send(work.method, work.path, token, work.nextBody());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            long sent = now;
            f.whenComplete((reply, failure) -> {
                long t1 = System.nanoTime();
                account(s, reply, failure, t1 - intended, t1 - sent);
                inFlight.decrementAndGet();
            });
        }
        long sleep = measureTo - System.nanoTime();
        if (sleep > 0) Thread.sleep(Duration.ofNanos(sleep));
        running = false;
        ticker.endWindow();
        phase = "drain";
        hooks.measureEnds();
        int left = drain();
        ticker.stop();
        if (warm.answered() == 0) System.err.println("bench: " + label + ": no answer during the warm-up");
        long answeredUntil = Math.max(measureTo, measured.lastAnswerNanos.get());
        return outcome(measured, (answeredUntil - measureFrom) / 1e9, ticker, left);
    }

    private void account(Stats s, LoadClient.Reply reply, Throwable failure, long latency, long service) {
        int accepted = s.record(work, reply, failure, latency, service);
        answeredTotal.increment();
        if (accepted < 0) badTotal.increment();
        else acceptedTotal.add(accepted);
    }

    /** Waits for the requests in flight; returns how many never answered. */
    private int drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        retryLater.shutdownNow();
        int left = inFlight.get();
        if (left > 0) System.err.println("bench: " + label + ": " + left + " requests still unanswered after "
                + DRAIN_LIMIT.toSeconds() + " s");
        return left;
    }

    private Outcome outcome(Stats measured, double seconds, Ticker ticker, int left) {
        return new Outcome(measured, seconds, ticker.requests, ticker.events, acceptedTotal.sum(), answeredTotal.sum(),
                badTotal.sum(), left);
    }

    /** Once a second: a progress line on stderr, and the per-second series of the measured window. */
    private final class Ticker {
        final List<Long> requests = new ArrayList<>();
        final List<Long> events = new ArrayList<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-ticker").factory());
        private long lastAnswered, lastAccepted, lastBad;
        private volatile boolean inWindow;
        private int second;

        Ticker() {
            timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }

        void startWindow() {
            synchronized (this) {
                lastAnswered = answeredTotal.sum();
                lastAccepted = acceptedTotal.sum();
                inWindow = true;
            }
        }

        void endWindow() {
            inWindow = false;
        }

        private synchronized void tick() {
            second++;
            long answered = answeredTotal.sum(), accepted = acceptedTotal.sum(), bad = badTotal.sum();
            long dr = answered - lastAnswered, de = accepted - lastAccepted, db = bad - lastBad;
            lastAnswered = answered;
            lastAccepted = accepted;
            lastBad = bad;
            if (inWindow) {
                requests.add(dr);
                events.add(de);
            }
            if (!quiet) {
                System.err.printf(Locale.ROOT, "  %-7s %-8s %3ds %,9d answers/s %,10d events/s %,6d errors  %,5d in flight%n",
                        label, phase, second, dr, de, db, inFlight.get());
            }
        }

        void stop() {
            timer.shutdownNow();
        }
    }
}
