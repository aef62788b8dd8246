package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.RepeatedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Copies committed WAL frames into the database file on a thread of its own while no durable commit is being made.
 * With SQLite's default, the commit that takes the WAL past 1,000 pages copies them: the identity processor dirties
 * more than that per batch, so every one of its batches paid a checkpoint, and a page dirtied by several batches
 * was copied again each time. While ingest is quiet (see {@link SqliteDatabase#quiet}) the writer's own checkpoint
 * is held back to a safety net ({@link #WRITER_SAFETY_PAGES}) and this thread copies what was committed every
 * {@code intervalMillis}, so such a page is copied once. While ingest commits, it starts no round and the writer
 * checkpoints as SQLite does by default: a background checkpoint beside ingest commits, its fsync included, would
 * delay them several times over (docs/BENCHMARKS.md).
 *
 * <p>A checkpoint beside a writer that never stops never finishes, and SQLite only rewinds the WAL after one that
 * did, so a background checkpointer alone lets the WAL grow without bound. So a round first copies what it can without
 * the writer's lock, then, if frames were committed meanwhile, takes the lock for a second pass over just those.
 * The next write transaction then starts the WAL from its beginning, unless a read is in progress at that instant
 * (as after SQLite's own checkpoints).
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** The writer checkpoints itself only past this many WAL pages (about 200 MB), if this thread fell behind. */
    static final int WRITER_SAFETY_PAGES = 50_000;
    /** Pages left for the pass under the writer's lock: a few milliseconds of copying. */
    private static final int LOCKED_PASS_PAGES = 1_000;
    private static final int UNLOCKED_PASSES = 5;
    /** The least wait between rounds while they fail (a full disk fails every round until space is freed). */
    static final long FAILING_INTERVAL_MILLIS = 1_000;

    private final Connection connection;
    private final Connection writer;
    private final ReentrantLock writeLock;
    private final long intervalMillis;
    private final BooleanSupplier quiet;
    private final Thread thread;
    private final RepeatedFailure failures = new RepeatedFailure();
    private volatile boolean stopping;
    /** An erasure's truncating checkpoint could not finish: it is tried again, at most once a second. */
    private volatile boolean truncatePending;
    private long nextTruncateNanos;
    /** How long a truncating checkpoint waits for reads in progress, holding the write lock. */
    static final int TRUNCATE_WAIT_MILLIS = 1_000;
    private static final long TRUNCATE_RETRY_NANOS = 1_000_000_000L;

    /**
     * @param connection a connection of its own, used only by this thread
     * @param writer     the writer connection, for the second pass under {@code writeLock}
     */
    WalCheckpointer(Connection connection, Connection writer, ReentrantLock writeLock, long intervalMillis,
                    BooleanSupplier quiet, String name) {
        this.connection = connection;
        this.quiet = quiet;
        this.writer = writer;
        this.writeLock = writeLock;
        this.intervalMillis = intervalMillis;
        this.thread = Thread.ofPlatform().daemon().name("wal-checkpoint " + name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stopping) {
            try {
                Thread.sleep(failures.failing() ? Math.max(intervalMillis, FAILING_INTERVAL_MILLIS) : intervalMillis);
                if (truncatePending && System.nanoTime() - nextTruncateNanos >= 0) retryTruncate();
                else if (quiet.getAsBoolean()) checkpoint();
                else continue;
                if (failures.succeeded()) LOG.info("WAL checkpoints succeed again");
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (stopping) return;
                // a failure repeats every round until its cause is gone: one line a minute says it is still there
                long n = failures.failed();
                if (n > 0) {
                    LOG.warn("WAL checkpoint failed {} time(s) since the last report (the writer's own checkpoint still"
                            + " runs; reported at most once a minute): {}", n, e.getMessage());
                }
            }
        }
    }

    /**
     * One round: the frames committed so far; again while more than {@link #LOCKED_PASS_PAGES} were committed
     * meanwhile (a few times at most: each pass is shorter than the last while copying outpaces committing); then
     * under the writer's lock what is left, so the round ends complete and the writer holds its lock only briefly.
     * Returns what the last pass reported.
     */
    Result checkpoint() throws SQLException {
        Result r = passive(connection);
        for (int pass = 1; pass < UNLOCKED_PASSES && !r.complete() && !r.busy() && r.walFrames() - r.copied() > LOCKED_PASS_PAGES; pass++) {
            r = passive(connection);
        }
        if (r.complete()) return r;
        writeLock.lock();
        try {
            return passive(writer);
        } finally {
            writeLock.unlock();
        }
    }

    /** Asks for {@link #truncate} on the writer until it finishes. */
    void truncateSoon() {
        truncatePending = true;
    }

    boolean truncatePending() {
        return truncatePending;
    }

    private void retryTruncate() throws SQLException {
        nextTruncateNanos = System.nanoTime() + TRUNCATE_RETRY_NANOS;
        writeLock.lock();
        try {
            if (truncate(writer)) truncatePending = false;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Copies the whole WAL into the database file and cuts the WAL to nothing, waiting at most
     * {@link #TRUNCATE_WAIT_MILLIS} for reads in progress; false when they kept it from finishing. The caller holds
     * the write lock and {@code writer} is the writer connection, so no commit of this process comes between.
     */
    static boolean truncate(Connection writer) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + TRUNCATE_WAIT_MILLIS);
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                return rs.next() && rs.getInt(1) == 0;
            } finally {
                s.execute("PRAGMA busy_timeout = " + SqliteDatabase.BUSY_TIMEOUT_MILLIS);
            }
        }
    }

    /** What {@code PRAGMA wal_checkpoint} reports: whether it was blocked, WAL frames, frames copied. */
    record Result(boolean busy, long walFrames, long copied) {
        boolean complete() {
            return !busy && copied >= walFrames;
        }
    }

    private static Result passive(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return new Result(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3));
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
