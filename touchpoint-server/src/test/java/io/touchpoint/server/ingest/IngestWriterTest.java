package io.touchpoint.server.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.core.store.IngestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounded queue of the ingest writer, with a store that commits only when the test lets it. */
class IngestWriterTest {
    private final BlockingStore store = new BlockingStore();
    private IngestWriter writer;

    @AfterEach
    void stop() {
        store.release.countDown();
        if (writer != null) writer.close();
    }

    @Test
    void submittingBeyondCapacityIsRefusedAtOnce() throws Exception {
        writer = start(2);
        CompletableFuture<List<IngestResult>> first = writer.submit(records(1));
        assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the writer is inside commit, blocked
        CompletableFuture<List<IngestResult>> second = writer.submit(records(1));
        assertThat(writer.queuedRecords()).isEqualTo(2);

        assertThatThrownBy(() -> writer.submit(records(1))).isInstanceOf(IngestLog.QueueFullException.class);
        assertThat(writer.queuedRecords()).isEqualTo(2);

        store.release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).hasSize(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).hasSize(1);
        assertThat(writer.queuedRecords()).isZero();
        assertThat(writer.submit(records(2)).get(5, TimeUnit.SECONDS)).hasSize(2);
    }

    @Test
    void aRequestLargerThanTheFreeRoomIsRefusedWhole() throws Exception {
        writer = start(3);
        writer.submit(records(1));
        assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> writer.submit(records(3))).isInstanceOf(IngestLog.QueueFullException.class);
        assertThat(writer.queuedRecords()).isEqualTo(1); // nothing of the refused request was taken
        writer.submit(records(2));
        assertThat(writer.queuedRecords()).isEqualTo(3);
    }

    @Test
    void closingCommitsWhatIsQueuedAndRefusesMore() throws Exception {
        writer = start(10);
        List<CompletableFuture<List<IngestResult>>> queued = new ArrayList<>();
        queued.add(writer.submit(records(1)));
        assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) queued.add(writer.submit(records(2)));

        Thread closer = Thread.ofVirtual().start(writer::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writer.healthy() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(writer.healthy()).as("close() stops taking records").isFalse(); // while the store still blocks
        assertThatThrownBy(() -> writer.submit(records(1))).isInstanceOf(IngestLog.QueueFullException.class);
        store.release.countDown();
        closer.join(5_000);

        assertThat(closer.isAlive()).isFalse();
        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(store.committed.get()).isEqualTo(7);
        assertThatThrownBy(() -> writer.submit(records(1))).isInstanceOf(IngestLog.QueueFullException.class);
        assertThat(writer.healthy()).isFalse();
    }

    @Test
    void ingestCountsAsActiveWhileRecordsWaitAndJustAfterARequestThenQuiet() throws Exception {
        writer = start(10);
        assertThat(writer.recentlyActive()).as("a fresh writer").isFalse();
        long submittedAt = System.nanoTime();
        CompletableFuture<List<IngestResult>> first = writer.submit(records(1));
        assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.recentlyActive()).as("a record in the commit").isTrue();
        store.release.countDown();
        first.get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.recentlyActive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(writer.recentlyActive()).as("quiet again once the window has passed").isFalse();
        assertThat(System.nanoTime() - submittedAt).as("not before the window has passed")
                .isGreaterThanOrEqualTo(IngestWriter.ACTIVE_WINDOW_NANOS);
    }

    @Test
    void recordsArePreparedOnTheCallersThreadAndAFailedPreparationFailsOnlyItsRequest() throws Exception {
        store.release.countDown();
        writer = start(2);
        assertThat(writer.submit(records(2)).get(5, TimeUnit.SECONDS)).hasSize(2);
        assertThat(store.preparedOn).containsExactly(Thread.currentThread().getName());
        assertThat(store.committedPrepared.get()).as("the writer committed the prepared form").isEqualTo(2);

        store.failPreparing = true;
        CompletableFuture<List<IngestResult>> failed = writer.submit(records(2));
        assertThat(failed).isCompletedExceptionally();
        assertThat(writer.queuedRecords()).as("its room is free again").isZero();
        store.failPreparing = false;
        assertThat(writer.submit(records(2)).get(5, TimeUnit.SECONDS)).hasSize(2);
        assertThat(store.committed.get()).isEqualTo(4);
    }

    private IngestWriter start(int capacity) {
        IngestWriter w = new IngestWriter(store, capacity, 100, new SimpleMeterRegistry(), () -> { });
        w.start();
        return w;
    }

    private static List<IngestRecord> records(int n) {
        List<IngestRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(IngestRecord.rejected(new EventLogEntry(0, "req_test", i, "ws_test", Instant.now(), "/test",
                    "cometly", EventLogEntry.Outcome.REJECTED, 422, "invalid_value", "x", "bad", null, null, null, "{}")));
        }
        return out;
    }

    /** Commits nothing until {@link #release} opens; then records every commit. */
    private static final class BlockingStore implements IngestStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger committedPrepared = new AtomicInteger();
        final List<String> preparedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean failPreparing;

        private record Marked(List<IngestRecord> records) implements Prepared {
        }

        @Override
        public Prepared prepare(List<IngestRecord> records) {
            if (failPreparing) throw new IllegalStateException("cannot prepare");
            preparedOn.add(Thread.currentThread().getName());
            return new Marked(records);
        }

        @Override
        public List<IngestResult> commitPrepared(List<? extends Prepared> parts) {
            for (Prepared p : parts) if (p instanceof Marked m) committedPrepared.addAndGet(m.records().size());
            return IngestStore.super.commitPrepared(parts);
        }

        @Override
        public List<IngestResult> commit(List<IngestRecord> batch) {
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            committed.addAndGet(batch.size());
            return batch.stream().<IngestResult>map(r -> new IngestResult.Logged()).toList();
        }
    }
}
