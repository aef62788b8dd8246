package io.touchpoint.server.destinations;

import io.touchpoint.server.processing.StageRunner;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How the senders give way to ingest. Sending costs the machine more than ingesting (each conversion goes to several
 * platforms, and each attempt is committed), so while ingest is active a sender steps aside as long as the ingest
 * writer has records waiting (up to {@value #MAX_YIELDS} times {@value #YIELD_MILLIS} ms) and, after each round, rests
 * in proportion to how busy the writer has been: not at all while it is mostly idle (a trickle of events, the senders
 * draining an outage at full speed), as long as the round took at half busy, up to {@value #MAX_REST_FACTOR} times as
 * long while ingest is saturated. A round whose oldest entry nears {@link #CATCH_UP_AGE} rests less, down to not at
 * all, so under sustained ingest a delivery waits at most about that long. While ingest is quiet nothing changes.
 */
final class SendingPace implements AutoCloseable {
    static final int MAX_YIELDS = 5;
    private static final long YIELD_MILLIS = 2;
    /** The longest rest after a round, in rounds: under saturated ingest a sender still sends a tenth of the time. */
    static final double MAX_REST_FACTOR = 9;
    /** The age of a round's oldest entry from which a sender no longer rests beside ingest. */
    static final Duration CATCH_UP_AGE = Duration.ofMinutes(5);
    /** No single rest is longer: a sender told to stop, or ingest ending, is noticed this soon. */
    static final long MAX_REST_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SAMPLE_MILLIS = 5;
    private static final long QUIET_SAMPLE_MILLIS = 100;
    /** Weight of one sample in the busy fraction: about a second of samples make it. */
    private static final double SAMPLE_WEIGHT = 0.005;

    private final BooleanSupplier waiting;
    private final BooleanSupplier active;
    private final Thread sampler;
    private volatile boolean stopping;
    /** Moving average of the ingest writer having records (waiting or in its commit), 0 to 1. */
    private volatile double busy;

    SendingPace(StageRunner.Ingest ingest) {
        this.waiting = ingest.waiting();
        this.active = ingest.active();
        this.sampler = Thread.ofPlatform().name("delivery-pace").daemon(true).unstarted(this::sample);
    }

    void start() {
        sampler.start();
    }

    /** Before a round: waits while ingest has records for the writer, a few milliseconds at most. */
    void stepAside() {
        for (int i = 0; i < MAX_YIELDS && waiting.getAsBoolean(); i++) sleep(TimeUnit.MILLISECONDS.toNanos(YIELD_MILLIS));
    }

    /** How long to rest after a round that took {@code roundNanos} and whose oldest entry is {@code oldest} old. */
    long restNanos(long roundNanos, Duration oldest) {
        if (!active.getAsBoolean()) return 0;
        return Math.min(MAX_REST_NANOS, (long) (roundNanos * restFactor(busy, oldest)));
    }

    /** The busy fraction of the ingest writer as last sampled (0 while ingest is quiet). */
    double busy() {
        return busy;
    }

    /**
     * The share of a round's time a sender rests after it: {@code busy / (1 - busy)} of the writer's busy fraction,
     * at most {@link #MAX_REST_FACTOR}, shrinking to 0 as the oldest entry's age nears {@link #CATCH_UP_AGE}.
     */
    static double restFactor(double busy, Duration oldest) {
        double byLoad = busy >= 1 ? MAX_REST_FACTOR : Math.min(MAX_REST_FACTOR, busy / (1 - busy));
        double catchUp = Math.max(0, 1 - (double) oldest.toMillis() / CATCH_UP_AGE.toMillis());
        return byLoad * catchUp;
    }

    private void sample() {
        while (!stopping) {
            if (!active.getAsBoolean()) {
                busy = 0;
                sleep(TimeUnit.MILLISECONDS.toNanos(QUIET_SAMPLE_MILLIS));
                continue;
            }
            busy = busy + SAMPLE_WEIGHT * ((waiting.getAsBoolean() ? 1 : 0) - busy);
            sleep(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS));
        }
    }

    static void sleep(long nanos) {
        if (nanos <= 0) return;
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        sampler.interrupt();
    }
}
