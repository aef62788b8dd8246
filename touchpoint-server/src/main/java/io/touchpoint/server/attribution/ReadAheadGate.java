package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.engine.ReportRows;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Lets report requests go before the index reads the server makes ahead at start ({@link ReportIndexes#prepare}): such
 * a read pauses while a request is being answered that does not itself wait for an index, so that on a machine with
 * few cores the request gets the read's core instead of sharing it. A read pauses for at most {@link #MAX_PAUSE_MILLIS}
 * in all, so that steady traffic cannot hold the engine's reports back for ever.
 */
final class ReadAheadGate {
    static final long MAX_PAUSE_MILLIS = 30_000;
    /** Rows a read hands on between two looks at the requests in flight. */
    static final int ROWS_PER_LOOK = 4_096;
    private static final ThreadLocal<Boolean> ANSWERS = ThreadLocal.withInitial(() -> false);
    private final AtomicInteger answering = new AtomicInteger();

    /** A request's answer, during which reads ahead pause. */
    <T> T answering(Supplier<T> request) {
        if (ANSWERS.get()) return request.get();
        ANSWERS.set(true);
        answering.incrementAndGet();
        try {
            return request.get();
        } finally {
            answering.decrementAndGet();
            ANSWERS.set(false);
        }
    }

    /** What may wait for a read ahead (an index being read): the request waiting for it does not hold it back. */
    <T> T waiting(Supplier<T> wait) {
        if (!ANSWERS.get()) return wait.get();
        answering.decrementAndGet();
        try {
            return wait.get();
        } finally {
            answering.incrementAndGet();
        }
    }

    /** Whether a request is being answered now. */
    boolean busy() {
        return answering.get() > 0;
    }

    /** Waits while requests are being answered, for at most {@code maxMillis}: work done ahead gives way to them. */
    void quiet(long maxMillis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (busy() && System.nanoTime() < until) LockSupport.parkNanos(2_000_000);
    }

    /** The rows of a read ahead, handed on to {@code rows} with a pause, every few thousand, while requests are answered. */
    Pausing pausing(ReportRows rows) {
        return new Pausing(rows);
    }

    final class Pausing implements ReportRows {
        private final ReportRows rows;
        private int count;
        private long pausedNanos;

        private Pausing(ReportRows rows) {
            this.rows = rows;
        }

        /** How long the read paused for requests. */
        long pausedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(pausedNanos);
        }

        private void look() {
            if (++count % ROWS_PER_LOOK != 0) return;
            long max = TimeUnit.MILLISECONDS.toNanos(MAX_PAUSE_MILLIS);
            while (busy() && pausedNanos < max) {
                long t = System.nanoTime();
                LockSupport.parkNanos(2_000_000);
                pausedNanos += System.nanoTime() - t;
            }
        }

        @Override
        public void shape(long shapeId, List<String> groupValues) {
            rows.shape(shapeId, groupValues);
        }

        @Override
        public void touch(String profile, long startedAt, long id, long shapeId) {
            look();
            rows.touch(profile, startedAt, id, shapeId);
        }

        @Override
        public void conversion(String profile, long convertedAt, LocalDate day, String eventName, Double value, String currency) {
            look();
            rows.conversion(profile, convertedAt, day, eventName, value, currency);
        }
    }
}
