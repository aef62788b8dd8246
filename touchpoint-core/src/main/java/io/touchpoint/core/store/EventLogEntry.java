package io.touchpoint.core.store;

import io.touchpoint.core.consent.Consent;

import java.time.Instant;
import java.util.List;

/**
 * One row of the events log: what one ingest request (or one item of a batch) came to.
 * {@code workspaceId} is null for requests that could not be tied to a workspace (bad credentials).
 * {@code itemIndex} is the position inside a batch request, 0 for single-event requests.
 * {@code warnings} are those the answer carried (unknown fields ignored, invalid optional fields dropped), never null.
 * {@code consent} is the accepted event's ({@link Consent#UNKNOWN} for a refusal and for entries logged before it was).
 */
public record EventLogEntry(
        long sequence,
        String requestId,
        int itemIndex,
        String workspaceId,
        Instant receivedAt,
        String endpoint,
        String source,
        Outcome outcome,
        int httpStatus,
        String errorCode,
        String errorParam,
        String errorMessage,
        String eventName,
        String email,
        String eventId,
        String payload,
        List<String> warnings,
        Consent consent) {

    public EventLogEntry {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        consent = consent == null ? Consent.UNKNOWN : consent;
    }

    /** An entry without a known consent. */
    public EventLogEntry(long sequence, String requestId, int itemIndex, String workspaceId, Instant receivedAt,
                         String endpoint, String source, Outcome outcome, int httpStatus, String errorCode,
                         String errorParam, String errorMessage, String eventName, String email, String eventId,
                         String payload, List<String> warnings) {
        this(sequence, requestId, itemIndex, workspaceId, receivedAt, endpoint, source, outcome, httpStatus, errorCode,
                errorParam, errorMessage, eventName, email, eventId, payload, warnings, Consent.UNKNOWN);
    }

    /** An entry without warnings. */
    public EventLogEntry(long sequence, String requestId, int itemIndex, String workspaceId, Instant receivedAt,
                         String endpoint, String source, Outcome outcome, int httpStatus, String errorCode,
                         String errorParam, String errorMessage, String eventName, String email, String eventId,
                         String payload) {
        this(sequence, requestId, itemIndex, workspaceId, receivedAt, endpoint, source, outcome, httpStatus, errorCode,
                errorParam, errorMessage, eventName, email, eventId, payload, List.of(), Consent.UNKNOWN);
    }

    public enum Outcome {
        ACCEPTED, DUPLICATE, REJECTED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same entry with {@code first} ahead of its warnings. */
    public EventLogEntry withWarningsFirst(List<String> first) {
        if (first.isEmpty()) return this;
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(warnings);
        return new EventLogEntry(sequence, requestId, itemIndex, workspaceId, receivedAt, endpoint, source, outcome,
                httpStatus, errorCode, errorParam, errorMessage, eventName, email, eventId, payload, all, consent);
    }

    /** The same entry with its event's consent. */
    public EventLogEntry withConsent(Consent c) {
        return new EventLogEntry(sequence, requestId, itemIndex, workspaceId, receivedAt, endpoint, source, outcome,
                httpStatus, errorCode, errorParam, errorMessage, eventName, email, eventId, payload, warnings, c);
    }

    /** The same entry as a duplicate of an already stored event. */
    public EventLogEntry asDuplicateOf(String firstEventId) {
        return new EventLogEntry(sequence, requestId, itemIndex, workspaceId, receivedAt, endpoint, source,
                Outcome.DUPLICATE, httpStatus, errorCode, errorParam, errorMessage, eventName, email, firstEventId,
                payload, warnings, consent);
    }
}
