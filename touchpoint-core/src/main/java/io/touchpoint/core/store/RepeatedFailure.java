package io.touchpoint.core.store;

import java.time.Duration;

/**
 * Keeps a failure that repeats (a full disk fails every write until space is freed) to one log line per interval:
 * {@link #failed()} says when to log and how many failures that line stands for. The interval holds across streaks,
 * so a failure that comes and goes is not logged each time it comes back. Thread-safe.
 */
public final class RepeatedFailure {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    private final long intervalNanos;
    private boolean failing;
    private boolean logged;
    private boolean loggedThisStreak;
    private long lastLoggedNanos;
    private long unlogged;

    public RepeatedFailure() {
        this(DEFAULT_INTERVAL);
    }

    public RepeatedFailure(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Counts one failure. Returns 0 when it is not to be logged, else how many failures the log line covers: the
     * first is logged at once, later ones at most once per interval.
     */
    public synchronized long failed() {
        failing = true;
        unlogged++;
        long now = System.nanoTime();
        if (logged && now - lastLoggedNanos < intervalNanos) return 0;
        logged = true;
        loggedThisStreak = true;
        lastLoggedNanos = now;
        long n = unlogged;
        unlogged = 0;
        return n;
    }

    /** Ends a streak; true when a failure of it was logged (then a line saying it is over is worth writing). */
    public synchronized boolean succeeded() {
        boolean report = failing && loggedThisStreak;
        failing = false;
        loggedThisStreak = false;
        return report;
    }

    /** Whether the last outcome was a failure. */
    public synchronized boolean failing() {
        return failing;
    }
}
