package io.touchpoint.core.store;

import java.util.ArrayList;
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

    /**
     * Does the part of committing records that needs no transaction (their stored form) on the calling thread. The
     * request threads prepare side by side, so the one ingest writer, whose thread bounds how fast ingest can go,
     * only writes.
     */
    default Prepared prepare(List<IngestRecord> records) {
        return () -> records;
    }

    /**
     * Commits the records of several prepared parts in one transaction, as {@link #commit} does.
     *
     * @return one result per record, in the parts' order
     */
    default List<IngestResult> commitPrepared(List<? extends Prepared> parts) {
        List<IngestRecord> all = new ArrayList<>();
        for (Prepared p : parts) all.addAll(p.records());
        return commit(all);
    }

    /** Records in the form the store commits them; what that form is, only the store knows. */
    interface Prepared {
        List<IngestRecord> records();
    }
}
