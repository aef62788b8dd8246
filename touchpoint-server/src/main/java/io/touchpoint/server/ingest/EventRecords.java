package io.touchpoint.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.ingest.DialectMapper;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.IngestInput;
import io.touchpoint.core.ingest.MappingResult;
import io.touchpoint.core.ingest.StorableText;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogEntry.Outcome;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.telemetry.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Turns payloads and refusals into events-log records and commits them through the {@link IngestLog}, counting
 * each outcome in {@code touchpoint_ingest_events_total}.
 */
final class EventRecords {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecords.class);
    private final IngestLog writer;
    private final StorageHealth storage;
    private final MeterRegistry metrics;
    private final Map<String, Counter> outcomeCounters = new ConcurrentHashMap<>();

    EventRecords(IngestLog writer, StorageHealth storage, MeterRegistry metrics) {
        this.writer = writer;
        this.storage = storage;
        this.metrics = metrics;
    }

    /** Who sent a request, as far as it is known when a record is made; {@code workspace} may be null. */
    record Sender(String requestId, Instant receivedAt, String endpoint, Source source, Workspace workspace,
                  String funnelId) {
    }

    /** A mapped payload: the record to commit, warnings, and the validation error when rejected. */
    record Mapped(IngestRecord record, List<String> warnings, ApiException error) {
        /** The same with the route's own warnings ahead of the mapper's, in the answer and in the events log. */
        Mapped withWarningsFirst(List<String> first) {
            if (first.isEmpty()) return this;
            List<String> all = new ArrayList<>(first);
            all.addAll(warnings);
            List<String> logged = first.stream().map(StorableText::escape).toList();
            return new Mapped(new IngestRecord(record.log().withWarningsFirst(logged), record.event()), all, error);
        }
    }

    /** Maps one payload; {@code index} is its place in a batch (0 for single events). */
    Mapped map(Sender s, DialectMapper mapper, Map<String, Object> body, String rawPayload, int index) {
        MappingResult result = mapper.map(new IngestInput(body, rawPayload, s.workspace(), s.requestId(), Ids.event(),
                s.receivedAt(), s.funnelId()));
        return switch (result) {
            case MappingResult.Accepted a -> {
                // what the visitor or sender did not choose takes the workspace's default, fixed as it is now
                Event e = a.event().withConsent(s.workspace().settings().consent().resolve(a.event().consent(), null));
                EventLogEntry log = entry(s, index, Outcome.ACCEPTED, 202, null, e.name(), e.person().email(),
                        e.id(), rawPayload, a.warnings()).withConsent(e.consent());
                yield new Mapped(new IngestRecord(log, e), a.warnings(), null);
            }
            case MappingResult.Rejected x -> {
                ApiException error = ApiException.validation(x.errors());
                EventLogEntry log = entry(s, index, Outcome.REJECTED, 422, error, x.eventName(), x.email(), null,
                        rawPayload, x.warnings());
                yield new Mapped(IngestRecord.rejected(log), x.warnings(), error);
            }
        };
    }

    /** A batch item refused before any mapper could read it. */
    Mapped reject(Sender s, int index, String rawPayload, FieldError error) {
        ApiException e = ApiException.validation(List.of(error));
        return new Mapped(IngestRecord.rejected(entry(s, index, Outcome.REJECTED, 422, e, null, null, null, rawPayload,
                List.of())), List.of(), e);
    }

    /** The events-log row of a refused request. */
    EventLogEntry refusal(Sender s, ApiException e, String payload) {
        return entry(s, 0, Outcome.REJECTED, e.status(), e, null, null, null, payload, List.of());
    }

    /** Hands records to the writer and waits for their durable commit. */
    List<IngestResult> commit(List<IngestRecord> records) throws InterruptedException {
        try {
            List<IngestResult> results = writer.submit(records).get();
            storage.written();
            for (int i = 0; i < records.size(); i++) {
                count(records.get(i).log().endpoint(), switch (results.get(i)) {
                    case IngestResult.Stored s -> Outcome.ACCEPTED;
                    case IngestResult.Duplicate d -> Outcome.DUPLICATE;
                    case IngestResult.Logged l -> Outcome.REJECTED;
                });
            }
            return results;
        } catch (IngestLog.QueueFullException e) {
            throw ApiException.overloaded(1);
        } catch (ExecutionException e) {
            if (storage.failed(e.getCause())) throw ApiException.storageFull(StorageHealth.RETRY_AFTER_SECONDS);
            if (e.getCause() instanceof IngestLog.Unavailable u) {
                LOG.warn("events not acknowledged by the ingest log: {}", u.getMessage());
                throw ApiException.logUnavailable(IngestLog.RETRY_AFTER_SECONDS);
            }
            LOG.error("events could not be stored", e.getCause());
            throw ApiException.serverError("storage_failed",
                    "the events could not be stored; nothing was acknowledged, so it is safe to retry");
        }
    }

    /**
     * The events-log row of a request, with the warnings its answer carried. What the sender wrote is kept with each
     * character no store can hold written as its JSON escape ({@code \u0000}): a refused payload may hold them, and
     * the row must still be written.
     */
    private static EventLogEntry entry(Sender s, int index, Outcome outcome, int status, ApiException e,
                                       String eventName, String email, String eventId, String payload,
                                       List<String> warnings) {
        return new EventLogEntry(0, s.requestId(), index, s.workspace() == null ? null : s.workspace().id(),
                s.receivedAt(), s.endpoint(), s.source().wireName(), outcome, status, e == null ? null : e.code(),
                e == null ? null : StorableText.escape(e.param()), e == null ? null : StorableText.escape(e.getMessage()),
                StorableText.escape(eventName), StorableText.escape(email), eventId, StorableText.escape(payload),
                warnings.stream().map(StorableText::escape).toList());
    }

    void count(String endpoint, Outcome outcome) {
        outcomeCounters.computeIfAbsent(endpoint + '|' + outcome, k -> Counter.builder("touchpoint.ingest.events")
                .description("ingested payloads by endpoint and outcome").tag("endpoint", endpoint)
                .tag("outcome", outcome.wireName()).register(metrics)).increment();
    }
}
