package io.touchpoint.tests;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores events as Kafka mode's store writers do: each partition's in its order with its offsets in the ingest log;
 * an event without a partition as ingest without the log does.
 */
public final class LogOffsets {
    private static final String LOG = "touchpoint-ingest";
    private final Map<Integer, Long> next = new HashMap<>();

    /** Stores the event from the partition (null: without the log), accepted. */
    public void store(Store store, Integer partition, Event event) {
        IngestRecord r = Fixtures.accepted(event, event.requestId());
        if (partition == null) {
            store.ingest().commit(List.of(r));
            return;
        }
        long from = next.getOrDefault(partition, 0L);
        assertThat(store.ingest().commitFromLog(LOG, partition, from, from + 1, List.of(r))).isPresent();
        next.put(partition, from + 1);
    }
}
