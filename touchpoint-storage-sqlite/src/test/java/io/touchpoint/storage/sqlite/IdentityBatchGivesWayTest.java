package io.touchpoint.storage.sqlite;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Store;
import io.touchpoint.tests.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.touchpoint.storage.sqlite.IdentityBatches.assertSameGraph;
import static io.touchpoint.storage.sqlite.IdentityBatches.people;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large identity batch, taken while ingest is quiet, holds SQLite's one write lock for its whole write; an ingest
 * commit that starts waiting meanwhile goes first, and the batch is redone small with the same results.
 */
class IdentityBatchGivesWayTest {
    @TempDir
    Path dir;

    private final Workspace ws = Fixtures.workspace("acme");

    /** SQLite as the store has it, except that the processor's first look for a waiting write starts an ingest commit. */
    private static final class IngestArrivesMidWrite extends DelegatingSqliteDatabase {
        Store store;
        List<IngestRecord> arriving;
        final AtomicReference<Thread> ingest = new AtomicReference<>();
        final AtomicReference<Throwable> ingestFailure = new AtomicReference<>();

        IngestArrivesMidWrite(SqliteDatabase db) {
            super(db);
        }

        @Override
        public boolean durableWriteWaiting() {
            if (arriving != null && ingest.get() == null) {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        store.ingest().commit(arriving);
                    } catch (Throwable e) {
                        ingestFailure.set(e);
                    }
                });
                ingest.set(t);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!db.durableWriteWaiting() && System.nanoTime() < deadline) Thread.onSpinWait();
                assertThat(db.durableWriteWaiting()).as("the ingest commit waits for the processor's write").isTrue();
            }
            return db.durableWriteWaiting();
        }
    }

    @Test
    void aLargeBatchGivesTheLockToAWaitingIngestCommitAndIsRedoneWithTheSameResults() throws Exception {
        IngestArrivesMidWrite db = new IngestArrivesMidWrite(new SqliteDatabase(dir.resolve("a.db"), true));
        try (Store store = IdentityBatches.store(db, 0); Store reference = new SqliteStore(dir.resolve("b.db"), true)) {
            db.store = store;
            for (Store s : List.of(store, reference)) {
                s.workspaces().create(ws);
                s.ingest().commit(people(ws, 0, 3000));
            }
            db.arriving = people(ws, 3000, 10);

            int first = store.stages().identity().step(5000);

            db.ingest.get().join(10_000);
            assertThat(db.ingestFailure.get()).isNull();
            assertThat(first).as("rolled back and redone at the size that never gives way").isEqualTo(500);
            assertThat(store.stages().identity().cursor()).isEqualTo(500);
            assertThat(store.stages().identity().upstream()).as("the ingest commit went in").isEqualTo(3010);
            while (store.stages().identity().step(5000) > 0) {
                // the rest, in large batches nothing interrupts
            }
            reference.ingest().commit(db.arriving);
            while (reference.stages().identity().step(100) > 0) {
                // an uninterrupted run in small batches
            }
            assertThat(store.stages().identity().cursor()).isEqualTo(3010);
            assertSameGraph(store, dir.resolve("a.db"), reference, dir.resolve("b.db"), ws, people(ws, 0, 3010));
        }
    }

    @Test
    void onlyADurableWriteWaitingForTheLockCounts() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"), true)) {
            db.write(c -> c.createStatement().executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> db.writeDerived(c -> {
                holding.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS) ? 0 : -1;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            holding.await();
            assertThat(db.durableWriteWaiting()).isFalse();
            Thread derived = Thread.ofPlatform().start(() -> db.writeDerived(c -> c.createStatement().executeUpdate("INSERT INTO t DEFAULT VALUES")));
            Thread.sleep(200);
            assertThat(db.durableWriteWaiting()).as("another derived write waiting").isFalse();
            Thread durable = Thread.ofPlatform().start(() -> db.write(c -> c.createStatement().executeUpdate("INSERT INTO t DEFAULT VALUES")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!db.durableWriteWaiting() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(db.durableWriteWaiting()).isTrue();
            release.countDown();
            for (Thread t : List.of(holder, derived, durable)) t.join(10_000);
            assertThat(db.durableWriteWaiting()).isFalse();
            int rows = db.read(c -> {
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t");
                rs.next();
                return rs.getInt(1);
            });
            assertThat(rows).isEqualTo(2);
        }
    }
}
