package io.touchpoint.storage.sqlite;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.store.StoreException;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.IdentityPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.touchpoint.storage.sqlite.IdentityBatches.assertSameGraph;
import static io.touchpoint.storage.sqlite.IdentityBatches.people;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A large identity batch is read, resolved and written in parts, the write of one beside the resolution of the next,
 * in one transaction: a failure on the resolving side after some parts were written leaves nothing of the batch.
 */
class IdentityBatchInPartsTest {
    @TempDir
    Path dir;

    private final Workspace ws = Fixtures.workspace("acme");

    /** SQLite as the store has it, except that once armed, the read after the next one fails. */
    private static final class FailingRead extends DelegatingSqliteDatabase {
        final AtomicInteger readsUntilFailure = new AtomicInteger(-1);

        FailingRead(SqliteDatabase db) {
            super(db);
        }

        @Override
        public <T> T read(Work<T> work) {
            if (readsUntilFailure.getAndDecrement() == 0) throw new StoreException("the disk went away", null);
            return db.read(work);
        }
    }

    @Test
    void aPartThatCannotBeReadRollsBackThePartsAlreadyWrittenAndTheBatchIsRedoneWithTheSameResults() throws Exception {
        FailingRead db = new FailingRead(new SqliteDatabase(dir.resolve("a.db"), true));
        try (Store store = IdentityBatches.store(db, 1_000_000); Store reference = new SqliteStore(dir.resolve("b.db"), true)) {
            for (Store s : List.of(store, reference)) {
                s.workspaces().create(ws);
                s.ingest().commit(people(ws, 0, 3500));
            }
            db.readsUntilFailure.set(2); // the batch's first read, the second part's, then the third part's fails

            assertThatThrownBy(() -> store.stages().identity().step(20_000)).hasMessageContaining("the disk went away");

            assertThat(store.stages().identity().cursor()).as("nothing of the batch committed").isZero();
            assertThat(IdentityPartition.ofSqlite(dir.resolve("a.db"), ws.id())).isEmpty();
            assertThat(store.stages().identity().step(20_000)).as("redone whole, in parts").isEqualTo(3500);
            while (reference.stages().identity().step(100) > 0) {
                // an uninterrupted run in small batches
            }
            assertSameGraph(store, dir.resolve("a.db"), reference, dir.resolve("b.db"), ws, people(ws, 0, 3500));
        }
    }

    /**
     * SQLite as the store has it, except that a derived write (the batch's) waits for {@link #writes} to open, then
     * goes ahead, or fails if {@link #failing}.
     */
    private static final class HeldWrite extends DelegatingSqliteDatabase {
        final CountDownLatch writes = new CountDownLatch(1);
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;

        HeldWrite(SqliteDatabase db) {
            super(db);
        }

        @Override
        public <T> T writeDerived(Work<T> work) {
            try {
                writes.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failing) throw new StoreException("the disk is full", null);
            return db.writeDerived(work);
        }

        @Override
        public <T> T read(Work<T> work) {
            reads.incrementAndGet();
            return db.read(work);
        }

        /**
         * Waits until no read came for two seconds: the resolving side reads a part in milliseconds when it may, and well
         * within that on a loaded machine.
         */
        int readsOnceStalled() throws InterruptedException {
            int read = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read != reads.get() && System.nanoTime() < deadline) {
                read = reads.get();
                Thread.sleep(2000);
            }
            return read;
        }
    }

    /** 20 parts: more than are let ahead of the writes. */
    private static final int EVENTS = 20_000;

    @Test
    void theResolvingSideWaitsForTheWritesOnceAFewPartsAreQueuedAndTheBatchThenCompletes() throws Exception {
        HeldWrite db = new HeldWrite(new SqliteDatabase(dir.resolve("a.db"), true));
        try (Store store = IdentityBatches.store(db, 1_000_000); Store reference = new SqliteStore(dir.resolve("b.db"), true)) {
            for (Store s : List.of(store, reference)) {
                s.workspaces().create(ws);
                s.ingest().commit(people(ws, 0, EVENTS));
            }
            int readsBefore = db.reads.get();
            CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(() -> store.stages().identity().step(100_000));

            assertThat(db.readsOnceStalled() - readsBefore).as("parts read while none could be written").isBetween(2, 12);
            assertThat(batch).isNotDone();

            db.writes.countDown();
            assertThat(batch.get(60, TimeUnit.SECONDS)).isEqualTo(EVENTS);
            while (reference.stages().identity().step(500) > 0) {
                // the same stream in small batches
            }
            assertSameGraph(store, dir.resolve("a.db"), reference, dir.resolve("b.db"), ws, people(ws, 0, EVENTS));
        }
    }

    @Test
    void aWriteThatFailsOnceThePartsQueueIsFullEndsTheBatchRatherThanLeavingTheResolvingSideWaiting() throws Exception {
        HeldWrite db = new HeldWrite(new SqliteDatabase(dir.resolve("a.db"), true));
        db.failing = true;
        try (Store store = IdentityBatches.store(db, 1_000_000)) {
            store.workspaces().create(ws);
            store.ingest().commit(people(ws, 0, EVENTS));
            CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(() -> store.stages().identity().step(100_000));
            db.readsOnceStalled(); // the queue is full and the resolving side waits for room

            db.writes.countDown();
            assertThat(batch).failsWithin(30, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("the disk is full");
            assertThat(store.stages().identity().cursor()).isZero();
        }
    }
}
