package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A large identity batch in parts of {@code partSize} events: this thread reads a part (its events and the graph they touch),
 * resolves it and seals its rows while a thread of the batch writes the parts before it, in the batch's one
 * transaction. A part needs nothing those writes change: every identifier and cluster an earlier part touched is
 * held complete in the {@link HeldGraph}, and nothing is evicted before the batch commits, so what a part still reads from
 * the store (the state before the batch) is what it would read after them. Any failure on either side rolls the
 * whole batch back.
 */
final class PartedBatch {
    private PartedBatch() {
    }

    /** What the identity stage does for the parts of a batch. */
    interface Work {
        /** Resolves a part against the held graph and seals the rows it changed. */
        GraphRowWriter.PendingRows resolve(List<IdentityEvent> part);

        /** Reads the part after {@code after}: at most {@code size} events, with the graph they touch. */
        List<IdentityEvent> read(long after, int size);

        /** On the write transaction, before the first part's rows: takes the cursor row (fails when it moved). */
        void begin(Connection c) throws SQLException;

        void write(Connection c, GraphRowWriter.PendingRows part, BooleanSupplier giveWay) throws SQLException;

        /** On the write transaction, after the last part's rows: moves the cursor to {@code last}. */
        void end(Connection c, long last) throws SQLException;
    }

    static Handled run(JdbcDatabase db, Work work, long cursor, List<IdentityEvent> first, int limit, int partSize,
                       BooleanSupplier giveWay) {
        LinkedBlockingQueue<Object> parts = new LinkedBlockingQueue<>(PARTS_AHEAD);
        record End(long last) {
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().daemon().name("identity-batch-writer").start(() -> {
            try {
                // the write lock only once there is something to write
                Object firstRows = take(parts);
                if (!(firstRows instanceof GraphRowWriter.PendingRows)) return;
                db.writeDerived(c -> {
                    work.begin(c);
                    for (Object part = firstRows; ; part = take(parts)) {
                        if (part instanceof End end) {
                            work.end(c, end.last());
                            return null;
                        }
                        if (part instanceof Throwable t) throw new Abandoned(t); // the resolving side failed: roll back
                        // waiting for this part held the lock without sending anything: an ingest commit may wait
                        if (part != firstRows && giveWay.getAsBoolean()) throw new GraphRowWriter.GaveWay();
                        work.write(c, (GraphRowWriter.PendingRows) part, giveWay);
                    }
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        int done = 0;
        long last = cursor;
        try {
            List<IdentityEvent> part = first;
            while (!part.isEmpty() && failure.get() == null) {
                hand(parts, work.resolve(part), writer);
                done += part.size();
                last = part.get(part.size() - 1).seq();
                if (part.size() < partSize || done >= limit) break;
                long after = last;
                int size = Math.min(partSize, limit - done);
                part = work.read(after, size);
            }
            hand(parts, new End(last), writer);
        } catch (RuntimeException | Error e) {
            hand(parts, e, writer);
            join(writer);
            throw e;
        }
        join(writer);
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new StoreException("the identity batch write failed: " + t.getMessage(), t);
        return new Handled(done, last);
    }

    /** How many events a batch in parts handled, and the sequence number of the last. */
    record Handled(int events, long last) {
    }

    /** The other side of a batch written in parts failed; its own exception is the one reported. */
    private static final class Abandoned extends RuntimeException {
        Abandoned(Throwable cause) {
            super("abandoned: " + cause, null, false, false);
        }
    }

    /**
     * Sealed parts waiting for the write thread at most: the writes are the slower side, and a large batch would
     * otherwise hold all its rows in memory at once.
     */
    static final int PARTS_AHEAD = 8;

    /** Queues {@code part} for {@code writer}, waiting for room while it is still running (once it ended, nobody reads). */
    private static void hand(LinkedBlockingQueue<Object> parts, Object part, Thread writer) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (parts.offer(part, 20, TimeUnit.MILLISECONDS) || !writer.isAlive()) return;
                } catch (InterruptedException e) {
                    interrupted = true; // the write thread still needs this part (or the End) to end its transaction
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static Object take(LinkedBlockingQueue<Object> parts) {
        try {
            return parts.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing an identity batch", e);
        }
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the write must end (commit or roll back) before the batch's state is decided
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
