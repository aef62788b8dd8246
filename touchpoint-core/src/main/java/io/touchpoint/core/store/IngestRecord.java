package io.touchpoint.core.store;

import io.touchpoint.core.model.Event;

/** One unit the ingest writer commits: a log entry and, when accepted, the event it describes. */
public record IngestRecord(EventLogEntry log, Event event) {
    public static IngestRecord rejected(EventLogEntry log) {
        return new IngestRecord(log, null);
    }
}
