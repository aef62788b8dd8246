package io.touchpoint.core.store;

/** What committing one {@link IngestRecord} came to. */
public sealed interface IngestResult {
    /** A new event, stored under {@code eventId}. */
    record Stored(String eventId) implements IngestResult {
    }

    /** An event whose idempotency key was already used; {@code firstEventId} is the stored one. */
    record Duplicate(String firstEventId) implements IngestResult {
    }

    /** A rejected request, recorded in the events log only. */
    record Logged() implements IngestResult {
    }
}
