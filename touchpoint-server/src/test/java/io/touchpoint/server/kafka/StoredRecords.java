package io.touchpoint.server.kafka;

import io.touchpoint.core.store.IngestLogStore;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The store a test's {@link KafkaStoreWriter} writes through: it passes every call to the real store and keeps what
 * each committed record came to, so a test can wait until the records it sent are stored and see how. A record read
 * back from the topic is a copy, so records are matched by their log entry's request, item and event id.
 */
final class StoredRecords implements IngestLogStore {
    private final IngestLogStore store;
    private final Map<Key, Deque<IngestResult>> results = new HashMap<>();

    StoredRecords(IngestLogStore store) {
        this.store = store;
    }

    private record Key(String workspaceId, String requestId, int itemIndex, String eventId) {
        static Key of(IngestRecord r) {
            return new Key(r.log().workspaceId(), r.log().requestId(), r.log().itemIndex(), r.event() == null ? null : r.event().id());
        }
    }

    @Override
    public List<IngestResult> commit(List<IngestRecord> batch) {
        return store.commit(batch);
    }

    @Override
    public long logPosition(String log, int partition) {
        return store.logPosition(log, partition);
    }

    @Override
    public Optional<List<IngestResult>> commitFromLog(String log, int partition, long from, long to, List<IngestRecord> batch) {
        Optional<List<IngestResult>> done = store.commitFromLog(log, partition, from, to, batch);
        done.ifPresent(stored -> {
            synchronized (this) {
                for (int i = 0; i < batch.size(); i++) {
                    results.computeIfAbsent(Key.of(batch.get(i)), k -> new ArrayDeque<>()).add(stored.get(i));
                }
                notifyAll();
            }
        });
        return done;
    }

    /**
     * What each of {@code sent} came to in the store, in order, once the store writer stored them all.
     *
     * @throws AssertionError when one is not stored by {@code deadlineNanos} (of {@link System#nanoTime()})
     */
    synchronized List<IngestResult> await(List<IngestRecord> sent, long deadlineNanos) {
        List<IngestResult> out = new ArrayList<>(sent.size());
        for (IngestRecord r : sent) {
            Key key = Key.of(r);
            while (results.getOrDefault(key, new ArrayDeque<>()).isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) throw new AssertionError("acknowledged but not stored: " + key);
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            Deque<IngestResult> q = results.get(key);
            out.add(q.poll());
            if (q.isEmpty()) results.remove(key);
        }
        return out;
    }
}
