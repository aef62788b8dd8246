package io.touchpoint.storage.sqlite;

import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.SqlDialect;
import io.touchpoint.core.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Connections to one SQLite file in WAL mode: a single writer connection behind a lock (SQLite allows one
 * writer per file anyway), a small pool of read-only connections, which WAL lets run beside the writer, and
 * a {@link WalCheckpointer} that copies the WAL into the file on a connection and thread of its own. Beside it, the
 * people search's index file ({@link #searchFile}) with a writer of its own: its writes take neither the database's
 * write lock nor its WAL, which every acknowledgement waits on; the readers attach it as {@code search}.
 */
final class SqliteDatabase implements JdbcDatabase {
    private static final int READERS = 4;
    /** How long a connection waits for a lock another process (or a checkpoint) holds. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** How often committed WAL frames are copied into the database file (see {@link WalCheckpointer}). */
    static final long CHECKPOINT_INTERVAL_MILLIS = 100;
    private static final int DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
    /**
     * Once rewound, the WAL file is cut back to this size rather than kept at its largest; but only while durable
     * commits checkpoint themselves. While checkpoints are deferred the processor's commits rewind the WAL every
     * few batches, and cutting a 200 MB file back each time, then growing it again, made their commits twice as
     * slow (docs/BENCHMARKS.md): the file then keeps its size until ingest resumes.
     */
    private static final long WAL_SIZE_LIMIT_BYTES = 64L << 20;
    /**
     * The writer connection's page cache, in KiB (readers keep 64 MB). A quiet identity batch dirties a page of each
     * of several large indexes per event; once its dirty pages outgrow the cache SQLite spills them to the WAL and a
     * page dirtied again is written again, so the cache bounds how much a larger batch saves (docs/BENCHMARKS.md).
     * SQLite allocates it as pages are used: a small database never takes it all.
     */
    static final int WRITER_CACHE_KIB = 256 * 1024;
    /** No durable commit for this long: copying the WAL in the background cannot delay an acknowledgement. */
    static final long QUIET_NANOS = 250_000_000L;
    private WalCheckpointer checkpointer;
    private volatile long lastDurableCommitNanos = System.nanoTime() - QUIET_NANOS;
    /** Whether the writer's automatic checkpoint is held back for {@link #checkpointer}; set under the write lock. */
    private volatile boolean deferringCheckpoints;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Durable writes waiting for {@link #writeLock} (the checkpointer's and derived writes' waits are not counted). */
    private final AtomicInteger durableWaiting = new AtomicInteger();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();
    private final boolean fullSync;
    private final Connection searchWriter;
    private final ReentrantLock searchLock = new ReentrantLock();
    /** An erasure's copy of the index file's WAL into the file could not finish (reads in progress): done again later. */
    private volatile boolean searchTruncateDue;

    /** The file beside the database that holds the people search's trigram index, derived from the database. */
    static Path searchFile(Path database) {
        return database.resolveSibling(database.getFileName() + SEARCH_SUFFIX);
    }

    /** What {@link #searchFile} adds to the database file's name. */
    static final String SEARCH_SUFFIX = "-search";

    SqliteDatabase(Path file, boolean fullSync) {
        this(file, fullSync, CHECKPOINT_INTERVAL_MILLIS);
    }

    SqliteDatabase(Path file, boolean fullSync, long checkpointIntervalMillis) {
        this.fullSync = fullSync;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            // IMMEDIATE: a write transaction takes the file's write lock when it begins, so two processes
            // never both read, then both try to write and deadlock into SQLITE_BUSY
            writer = open(url + "?transaction_mode=IMMEDIATE", false, fullSync);
            Path search = searchFile(file.toAbsolutePath());
            searchWriter = open("jdbc:sqlite:" + search + "?transaction_mode=IMMEDIATE", false, fullSync);
            createSearchIndex(searchWriter);
            for (int i = 0; i < READERS; i++) readers.add(attachSearch(open(url, false, fullSync), search));
            try (Statement s = writer.createStatement()) {
                // what a write frees (an erased row, its index entries, the old copy of an updated one) is zeroed,
                // not left readable in the file
                s.execute("PRAGMA secure_delete = ON");
                s.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
                s.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
            }
            checkpointer = new WalCheckpointer(open(url, false, fullSync), writer, writeLock, checkpointIntervalMillis,
                    // only this process's own held-back checkpoints: a command-line process beside the server
                    // must not copy the WAL under the server's ingest commits
                    () -> deferringCheckpoints && quiet(), file.getFileName().toString());
            checkpointer.start();
        } catch (Exception e) {
            close();
            throw new StoreException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The index file's tables, where they are not yet (a new database, or a lost index file): the FTS5 trigram index
     * of the link values, contentless, with each link's profile, type and length kept beside it to delete a link's
     * row by its value (secure-delete, so that an erased link's trigrams leave the segments), and the state that says
     * for which database it was built and how far into that database's queue of links it got.
     */
    private static void createSearchIndex(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA secure_delete = ON");
            s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS identity_link_search USING fts5(value, profile_id UNINDEXED,"
                    + " type UNINDEXED, value_length UNINDEXED, content = '', contentless_unindexed = 1,"
                    + " tokenize = 'trigram case_sensitive 0')");
            s.execute("INSERT INTO identity_link_search (identity_link_search, rank) VALUES ('secure-delete', 1)");
            s.execute("CREATE TABLE IF NOT EXISTS identity_link_search_state (id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " generation TEXT NOT NULL, indexed_through INTEGER NOT NULL)");
        }
    }

    /** A reader that also sees the index file, as schema {@code search}. */
    private static Connection attachSearch(Connection c, Path search) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("ATTACH DATABASE ? AS search");
             Statement s = c.createStatement()) {
            ps.setString(1, search.toString());
            ps.execute();
            s.execute("PRAGMA query_only = 1");
        }
        return c;
    }

    private Connection open(String url, boolean readOnly, boolean fullSync) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        all.add(c);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS); // other processes (the command line) may hold the lock
            s.execute("PRAGMA journal_mode = WAL");
            // FULL: a commit is on disk before the ingest writer acknowledges it, surviving a power cut
            s.execute("PRAGMA synchronous = " + (fullSync ? "FULL" : "NORMAL"));
            s.execute("PRAGMA foreign_keys = ON");
            // the default 2 MB page cache makes every index insert of a busy log a disk read; 64 MB keeps the
            // hot index pages in memory (per connection; memory is plentiful next to a disk read per row)
            s.execute("PRAGMA cache_size = -65536");
            if (readOnly) s.execute("PRAGMA query_only = 1");
        }
        return c;
    }

    /** Runs {@code work} in one transaction on the writer connection. */
    @Override
    public <T> T write(Work<T> work) {
        durableWaiting.incrementAndGet();
        try {
            writeLock.lock();
        } finally {
            durableWaiting.decrementAndGet();
        }
        try {
            // a durable commit checkpoints in its own path again (SQLite's default), as it did before the quiet spell
            if (deferringCheckpoints) setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES, false);
            T result = commit(work);
            lastDurableCommitNanos = System.nanoTime();
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Copies the WAL into the database file and truncates it, so that the pages as they were before the erasure are
     * in neither file (secure_delete zeroed what the erasure freed in the new ones). It waits at most
     * {@link WalCheckpointer#TRUNCATE_WAIT_MILLIS} for reads in progress, holding the write lock; when reads keep it
     * from finishing, the checkpointer tries again until it does.
     */
    @Override
    public void afterErasure() {
        writeLock.lock();
        try {
            if (!WalCheckpointer.truncate(writer)) checkpointer.truncateSoon();
        } catch (SQLException e) {
            checkpointer.truncateSoon();
        } finally {
            writeLock.unlock();
        }
        truncateSearchWal();
    }

    /** The index file's WAL copied into it and truncated, as {@link #afterErasure} does the database's. */
    private void truncateSearchWal() {
        searchLock.lock();
        try {
            searchTruncateDue = !WalCheckpointer.truncate(searchWriter);
        } catch (SQLException e) {
            searchTruncateDue = true;
        } finally {
            searchLock.unlock();
        }
    }

    /** The people search's index file ({@link #searchFile}), written by {@link #writeSearchIndex}. */
    @Override
    public java.util.Optional<SearchIndexFile> searchIndexFile() {
        return java.util.Optional.of(new SearchIndexFile() {
            @Override
            public <T> T write(Work<T> work) {
                return writeSearchIndex(work);
            }
        });
    }

    /**
     * Runs {@code work} in one transaction on the people search's index file, which it alone writes; its commit is
     * as durable as the database's. It takes the file's lock as it begins, so a process erasing a person meanwhile
     * waits for it (and then takes out what it added).
     */
    private <T> T writeSearchIndex(Work<T> work) {
        searchLock.lock();
        try {
            T result = commit(searchWriter, work);
            if (searchTruncateDue) truncateSearchWal();
            return result;
        } finally {
            searchLock.unlock();
        }
    }

    @Override
    public boolean durableWriteWaiting() {
        return durableWaiting.get() > 0;
    }

    boolean quiet() {
        return System.nanoTime() - lastDurableCommitNanos > QUIET_NANOS;
    }

    private void setAutocheckpoint(int pages, boolean deferring) {
        pragma("PRAGMA wal_autocheckpoint = " + pages);
        pragma("PRAGMA journal_size_limit = " + (deferring ? -1 : WAL_SIZE_LIMIT_BYTES));
        deferringCheckpoints = deferring;
    }

    private <T> T commit(Work<T> work) {
        writeLock.lock();
        try {
            return commit(writer, work);
        } finally {
            writeLock.unlock();
        }
    }

    private static <T> T commit(Connection c, Work<T> work) {
        try {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                // SQLite may have rolled back already (it does on SQLITE_FULL): ending the transaction then fails
                // too, and that failure must not hide the one that says why
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ended) {
                    e.addSuppressed(ended);
                }
                throw e;
            }
            c.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            throw new StoreException("SQLite write failed: " + e.getMessage(), e);
        }
    }

    /**
     * A write at {@code synchronous=NORMAL}: in WAL mode its commit is not fsynced; the next FULL commit (every
     * ingest commit) fsyncs the log with it, and after a power cut SQLite recovers a prefix of commits, so at
     * worst the derived state and its cursor go back together. Saves the processor an fsync per batch while
     * it holds the write lock that ingest waits on.
     */
    @Override
    public <T> T writeDerived(Work<T> work) {
        writeLock.lock();
        try {
            // while nothing durable is being committed, the checkpointer copies the WAL instead of this commit:
            // the processor's batches dirty more than SQLite's 1,000 pages each, and a page dirtied by several
            // of them is then copied once
            if (!deferringCheckpoints && quiet()) setAutocheckpoint(WalCheckpointer.WRITER_SAFETY_PAGES, true);
            if (!fullSync) return commit(work);
            pragma("PRAGMA synchronous = NORMAL");
            try {
                return commit(work);
            } finally {
                pragma("PRAGMA synchronous = FULL");
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void pragma(String sql) {
        try (Statement s = writer.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StoreException("SQLite " + sql + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public SqlDialect dialect() {
        return SqliteDialect.INSTANCE;
    }

    /**
     * A batch's cost here is mostly the pages it writes, which the events of one batch share, and its commit, so
     * large batches pay (read, resolved and written in parts, so that they are not all in memory at once).
     */
    @Override
    public int quietIdentityBatch() {
        return 100_000;
    }

    @Override
    public <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("SQLite read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    WalCheckpointer checkpointer() {
        return checkpointer;
    }

    @Override
    public void close() {
        if (checkpointer != null) checkpointer.close();
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing on shutdown: nothing left to do with the error
            }
        }
    }
}
