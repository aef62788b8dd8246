package io.touchpoint.core.store;

import java.util.List;

/** The write side of ingest, as the single ingest writer commits what requests hand it. */
public interface IngestStore {
    /**
     * Commits events, their log entries and idempotency keys in one durable transaction. An event whose
     * idempotency key the workspace already used (earlier, or earlier in this batch) is not stored again.
     *
     * @return one result per record, in order
     */
    List<IngestResult> commit(List<IngestRecord> batch);
}
