package io.touchpoint.storage.sqlite;

import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The WAL is copied into the database file off the writer's path, and still rewinds under continuous commits. */
class WalCheckpointerTest {
    @TempDir
    Path dir;

    private static final byte[] PAGE = new byte[3000];
    /** The background rounds wait this long: the tests run rounds themselves. */
    private static final long HOUR = 3_600_000;

    /** Inserts {@code rows} rows of about a page each. */
    private static JdbcDatabase.Work<Integer> insert(int rows) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (body) VALUES (?)")) {
                for (int i = 0; i < rows; i++) {
                    ps.setBytes(1, PAGE);
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        };
    }

    private static void commitRows(SqliteDatabase db, int rows) {
        db.write(insert(rows));
    }

    private static long rows(SqliteDatabase db) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM blobs")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void commitDerivedRows(SqliteDatabase db, int rows) {
        db.writeDerived(insert(rows));
    }

    private static void waitUntilQuiet(SqliteDatabase db) throws InterruptedException {
        while (!db.quiet()) Thread.sleep(20);
    }

    @Test
    void whileIngestIsQuietADerivedCommitLeavesTheCopyingToTheCheckpointer() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"), true, HOUR)) {
            db.write(c -> c.createStatement().executeUpdate("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)"));
            waitUntilQuiet(db);
            long before = Files.size(dir.resolve("t.db"));
            commitDerivedRows(db, 3000); // about 3,000 pages: SQLite's default would copy them inside this commit
            assertThat(Files.size(dir.resolve("t.db"))).as("nothing copied into the file by the commit").isEqualTo(before);
            WalCheckpointer.Result r = db.checkpointer().checkpoint();
            assertThat(r.complete()).isTrue();
            assertThat(r.walFrames()).isGreaterThan(2000);
            assertThat(Files.size(dir.resolve("t.db"))).as("copied by the round").isGreaterThan(before + 2000 * 4096L);
        }
    }

    @Test
    void aDurableCommitCheckpointsInItsOwnPathAsSqliteDoesByDefault() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"), true, HOUR)) {
            db.write(c -> c.createStatement().executeUpdate("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)"));
            waitUntilQuiet(db);
            commitDerivedRows(db, 10); // holds the writer's checkpoint back
            long before = Files.size(dir.resolve("t.db"));
            commitRows(db, 3000);
            assertThat(Files.size(dir.resolve("t.db"))).as("copied by the durable commit itself").isGreaterThan(before + 2000 * 4096L);
            assertThat(db.quiet()).isFalse();
        }
    }

    private static final JdbcDatabase.Work<Long> WAL_SIZE_LIMIT = c -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_size_limit")) {
            rs.next();
            return rs.getLong(1);
        }
    };

    @Test
    void aRewoundWalKeepsItsSizeWhileCheckpointsAreDeferredAndIsCutBackOnceIngestResumes() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"), true, HOUR)) {
            assertThat(db.write(WAL_SIZE_LIMIT)).isEqualTo(64L << 20);
            waitUntilQuiet(db);
            assertThat(db.writeDerived(WAL_SIZE_LIMIT)).as("the processor's rewinds keep the file").isEqualTo(-1);
            assertThat(db.write(WAL_SIZE_LIMIT)).as("a durable commit's limit again").isEqualTo(64L << 20);
        }
    }

    @Test
    void roundsEndCompleteWhileTheWriterKeepsCommittingAndTheWalThenRewinds() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"), true, HOUR)) {
            db.write(c -> c.createStatement().executeUpdate("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)"));
            AtomicBoolean go = new AtomicBoolean(true);
            AtomicLong committed = new AtomicLong();
            Thread writer = Thread.ofPlatform().start(() -> {
                while (go.get()) {
                    commitRows(db, 50);
                    committed.addAndGet(50);
                }
            });
            long largestWal = 0;
            try {
                // rounds begin once the writer has committed: on a busy machine its thread may not have started yet
                while (committed.get() == 0) Thread.sleep(1);
                for (int round = 0; round < 20; round++) {
                    Thread.sleep(20);
                    WalCheckpointer.Result r = db.checkpointer().checkpoint();
                    assertThat(r.complete()).as("round %d: %s", round, r).isTrue();
                    largestWal = Math.max(largestWal, r.walFrames());
                    assertThat(rows(db)).isPositive();
                }
            } finally {
                go.set(false);
                writer.join();
            }
            assertThat(db.checkpointer().checkpoint().complete()).isTrue();
            commitRows(db, 1); // the first commit after a complete round, with no read in progress, rewinds the WAL
            WalCheckpointer.Result last = db.checkpointer().checkpoint();
            assertThat(last.walFrames()).as("rewound: %d rows committed, largest WAL %d frames", committed.get(), largestWal)
                    .isLessThan(100);
            assertThat(rows(db)).isEqualTo(committed.get() + 1);
        }
    }

    @Test
    void afterAnErasureTheWalIsCutToNothingOnceNoReadHoldsItsFrames() throws Exception {
        Path file = dir.resolve("t.db");
        Path wal = dir.resolve("t.db-wal");
        try (SqliteDatabase db = new SqliteDatabase(file, true, 20)) {
            db.write(c -> c.createStatement().executeUpdate("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)"));
            commitRows(db, 20);
            db.afterErasure();
            assertThat(Files.size(wal)).isZero();
            assertThat(db.checkpointer().truncatePending()).isFalse();

            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                reader.setAutoCommit(false);
                try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM blobs")) {
                    rs.next(); // a read in progress on the frames committed so far
                }
                commitRows(db, 20);
                long started = System.nanoTime();
                db.afterErasure();
                assertThat(System.nanoTime() - started).as("waited for the read at most about a second")
                        .isLessThan(5_000_000_000L);
                assertThat(Files.size(wal)).isPositive();
                assertThat(db.checkpointer().truncatePending()).isTrue();
                reader.commit();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (db.checkpointer().truncatePending() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(db.checkpointer().truncatePending()).as("the checkpointer finished it").isFalse();
            assertThat(Files.size(wal)).isZero();
            assertThat(rows(db)).isEqualTo(40);
        }
    }
}
