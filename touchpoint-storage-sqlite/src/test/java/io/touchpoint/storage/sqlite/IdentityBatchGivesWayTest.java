package io.touchpoint.storage.sqlite;

import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.jdbc.JdbcDatabase;
import io.touchpoint.storage.jdbc.JdbcStore;
import io.touchpoint.tests.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large identity batch, taken while ingest is quiet, holds SQLite's one write lock for its whole write; an ingest
 * commit that starts waiting meanwhile goes first, and the batch is redone small with the same results.
 */
class IdentityBatchGivesWayTest {
    @TempDir
    Path dir;

    private final Workspace ws = Fixtures.workspace("acme");

    /**
     * One event each for people {@code from} to {@code from + count - 1}: a visitor token and an email, which the
     * people from 2,500 on share with earlier ones (so a batch also merges). 3,000 of them write more than one chunk
     * of profile and link rows.
     */
    private List<IngestRecord> people(int from, int count) {
        List<IngestRecord> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            List<Identifier> ids = List.of(new Identifier(IdentifierType.VISITOR_TOKEN, "tok" + i),
                    new Identifier(IdentifierType.EMAIL, "p" + (i % 2500) + "@shop.io"));
            Event e = new Event(String.format("evt_%08d", i), ws.id(), Source.COMETLY, "req_" + i, Fixtures.T0.plus(Duration.ofSeconds(i)),
                    Fixtures.T0.plus(Duration.ofSeconds(i)), "lead", ids, new Person(null, null, null, null, null, null),
                    new Context("10.0.0.1", null, null, null, null, null), null, null, false, null, "{}");
            out.add(Fixtures.accepted(e, "req_" + i));
        }
        return out;
    }

    /** SQLite as the store has it, except that the processor's first look for a waiting write starts an ingest commit. */
    private static final class IngestArrivesMidWrite implements JdbcDatabase {
        final SqliteDatabase db;
        Store store;
        List<IngestRecord> arriving;
        final AtomicReference<Thread> ingest = new AtomicReference<>();
        final AtomicReference<Throwable> ingestFailure = new AtomicReference<>();

        IngestArrivesMidWrite(SqliteDatabase db) {
            this.db = db;
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

        @Override
        public <T> T write(Work<T> work) {
            return db.write(work);
        }

        @Override
        public <T> T writeDerived(Work<T> work) {
            return db.writeDerived(work);
        }

        @Override
        public <T> T read(Work<T> work) {
            return db.read(work);
        }

        @Override
        public void close() {
            db.close();
        }
    }

    private static final class TestStore extends JdbcStore {
        TestStore(JdbcDatabase db) {
            super(db, SqliteStore.MIGRATIONS, 0);
        }
    }

    @Test
    void aLargeBatchGivesTheLockToAWaitingIngestCommitAndIsRedoneWithTheSameResults() throws Exception {
        IngestArrivesMidWrite db = new IngestArrivesMidWrite(new SqliteDatabase(dir.resolve("a.db"), true));
        try (Store store = new TestStore(db); Store reference = new SqliteStore(dir.resolve("b.db"), true)) {
            db.store = store;
            for (Store s : List.of(store, reference)) {
                s.workspaces().create(ws);
                s.ingest().commit(people(0, 3000));
            }
            db.arriving = people(3000, 10);

            int first = store.identity().processNext(5000);

            db.ingest.get().join(10_000);
            assertThat(db.ingestFailure.get()).isNull();
            assertThat(first).as("rolled back and redone at the size that never gives way").isEqualTo(500);
            assertThat(store.identity().cursor()).isEqualTo(500);
            assertThat(store.identity().latestSequence()).as("the ingest commit went in").isEqualTo(3010);
            while (store.identity().processNext(5000) > 0) {
                // the rest, in large batches nothing interrupts
            }
            reference.ingest().commit(db.arriving);
            while (reference.identity().processNext(100) > 0) {
                // an uninterrupted run in small batches
            }
            assertThat(store.identity().cursor()).isEqualTo(3010);
            assertThat(store.identity().partition(ws.id())).isEqualTo(reference.identity().partition(ws.id()));
            for (IngestRecord r : people(0, 3010)) {
                assertThat(store.identity().profileOfEvent(ws.id(), r.event().id()))
                        .isEqualTo(reference.identity().profileOfEvent(ws.id(), r.event().id()));
            }
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
