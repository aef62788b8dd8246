package io.touchpoint.server.ingest;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.ingest.DialectMapper;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.IngestInput;
import io.touchpoint.core.ingest.MappingResult;
import io.touchpoint.core.ingest.StorableText;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogEntry.Outcome;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.RateLimiter;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.telemetry.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The steps every ingest route shares: HTTPS policy, authentication, rate limit, mapping a payload
 * through its dialect's mapper, handing records to the writer and waiting for the commit, and recording
 * failed requests in the events log. A refusal that a workspace's rate limit paid for is written in full; any other
 * (no valid credential, or a 429) goes through {@link RefusalLog}, which keeps what it writes to a fixed budget,
 * and one of no workspace also counts against its address's {@value #UNAUTHENTICATED_LIMIT_PER_MINUTE} a minute.
 */
public final class IngestEdge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestEdge.class);
    /** Unauthenticated calls are limited per client address, which slows token guessing. */
    static final int UNAUTHENTICATED_LIMIT_PER_MINUTE = 600;
    static final int MAX_LOGGED_PAYLOAD_CHARS = 1024 * 1024;
    private final IngestWriter writer;
    private final Authenticator auth;
    private final RateLimiter limiter;
    private final HttpsPolicy https;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final StorageHealth storage;
    private final RefusalLog refusals;
    private final Map<String, Counter> outcomeCounters = new ConcurrentHashMap<>();

    public IngestEdge(IngestWriter writer, Authenticator auth, RateLimiter limiter, HttpsPolicy https, Clock clock,
                      MeterRegistry metrics, StorageHealth storage) {
        this.writer = writer;
        this.auth = auth;
        this.limiter = limiter;
        this.https = https;
        this.clock = clock;
        this.metrics = metrics;
        this.storage = storage;
        this.refusals = new RefusalLog(writer, storage, clock);
    }

    /** What is known about one ingest request as it goes through the steps. */
    public static final class Request {
        final String requestId;
        final Instant receivedAt;
        final String endpoint;
        final Source source;
        Workspace workspace;
        String body;
        /** Whether the workspace's rate limit counted this request: then its refusal is written in full. */
        boolean charged;

        Request(String requestId, Instant receivedAt, String endpoint, Source source) {
            this.requestId = requestId;
            this.receivedAt = receivedAt;
            this.endpoint = endpoint;
            this.source = source;
        }

        public Workspace workspace() {
            return workspace;
        }

        public void body(String text) {
            this.body = text;
        }

        /** For routes that select the workspace themselves (the pixel key): named in the events log. */
        public void workspace(Workspace w) {
            this.workspace = w;
        }
    }

    public interface Handler {
        void handle(Context ctx, Request request) throws Exception;
    }

    /** Runs one ingest request; a refusal is recorded in the events log before the error answer goes out. */
    public void handle(Context ctx, String endpoint, Source source, Handler handler) throws Exception {
        Request r = new Request(Responses.requestId(ctx), clock.instant(), endpoint, source);
        try {
            handler.handle(ctx, r);
        } catch (ApiException e) {
            ApiException answer = r.workspace == null && e.status() != 429 && e.status() != 503 ? throttled(ctx, e) : e;
            logRefusal(ctx, r, answer);
            throw answer;
        }
    }

    /** A refusal of no workspace counts against its address; past the limit it becomes a 429. */
    private ApiException throttled(Context ctx, ApiException refusal) {
        RateLimiter.Decision d = limiter.check("ip:" + https.clientIp(ctx), UNAUTHENTICATED_LIMIT_PER_MINUTE, clock.millis());
        rateHeaders(ctx, d);
        return d.allowed() ? refusal : ApiException.rateLimitedAddress(d.retryAfterSeconds());
    }

    public void checkHttps(Context ctx) {
        https.check(ctx);
    }

    /**
     * For dialects whose payload selects the workspace (Able's funnel mark): records the workspace, checks a
     * bearer token when one is sent (it must be an ingest token of that same workspace), and applies the
     * workspace's rate limit.
     */
    public void authenticateOptionalToken(Context ctx, Request r, Workspace workspace) {
        r.workspace = workspace;
        io.touchpoint.server.http.RequestTelemetry.workspace(ctx, workspace.id());
        rateLimit(ctx, r);
        if (ctx.header("Authorization") == null) return;
        Authenticator.Principal p = auth.workspaceToken(ctx);
        if (!p.workspace().id().equals(workspace.id())) {
            throw ApiException.permission("wrong_workspace", "the API token belongs to another workspace than the funnel");
        }
        Authenticator.requireScope(p, Scope.INGEST);
    }

    /** HTTPS policy, bearer token with the ingest scope, and the workspace's rate limit. */
    public void authenticate(Context ctx, Request r) {
        https.check(ctx);
        Authenticator.Principal p = auth.workspaceToken(ctx); // a refusal counts against the address (handle)
        r.workspace = p.workspace();
        rateLimit(ctx, r);
        Authenticator.requireScope(p, Scope.INGEST);
    }

    /** The rate limit of the request's workspace; a request it lets through is charged to it. */
    public void rateLimit(Context ctx, Request r) {
        Workspace w = r.workspace;
        RateLimiter.Decision d = limiter.check("ws:" + w.id(), w.settings().rateLimitPerMinute(), clock.millis());
        rateHeaders(ctx, d);
        if (!d.allowed()) throw ApiException.rateLimited(d.retryAfterSeconds());
        r.charged = true;
    }

    private static void rateHeaders(Context ctx, RateLimiter.Decision d) {
        ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
    }

    /** Maps one payload; {@code index} is its place in a batch (0 for single events). */
    public Mapped map(Request r, DialectMapper mapper, Map<String, Object> body, String rawPayload, int index) {
        return map(r, mapper, body, rawPayload, index, null);
    }

    /** As {@link #map(Request, DialectMapper, Map, String, int)}, for a payload that came through a funnel. */
    public Mapped map(Request r, DialectMapper mapper, Map<String, Object> body, String rawPayload, int index,
                      String funnelId) {
        MappingResult result = mapper.map(new IngestInput(body, rawPayload, r.workspace, r.requestId, Ids.event(),
                r.receivedAt, funnelId));
        return switch (result) {
            case MappingResult.Accepted a -> {
                Event e = a.event();
                EventLogEntry log = entry(r, index, Outcome.ACCEPTED, 202, null, e.name(), e.person().email(),
                        e.id(), rawPayload, a.warnings());
                yield new Mapped(new IngestRecord(log, e), a.warnings(), null);
            }
            case MappingResult.Rejected x -> {
                ApiException error = ApiException.validation(x.errors());
                EventLogEntry log = entry(r, index, Outcome.REJECTED, 422, error, x.eventName(), x.email(), null,
                        rawPayload, x.warnings());
                yield new Mapped(IngestRecord.rejected(log), x.warnings(), error);
            }
        };
    }

    /** A mapped payload: the record to commit, warnings, and the validation error when rejected. */
    public record Mapped(IngestRecord record, List<String> warnings, ApiException error) {
        /** The same with the route's own warnings ahead of the mapper's, in the answer and in the events log. */
        public Mapped withWarningsFirst(List<String> first) {
            if (first.isEmpty()) return this;
            List<String> all = new java.util.ArrayList<>(first);
            all.addAll(warnings);
            List<String> logged = first.stream().map(StorableText::escape).toList();
            return new Mapped(new IngestRecord(record.log().withWarningsFirst(logged), record.event()), all, error);
        }
    }

    /** Hands records to the writer and waits for their durable commit. */
    public List<IngestResult> commit(List<IngestRecord> records) throws InterruptedException {
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
        } catch (IngestWriter.QueueFullException e) {
            throw ApiException.overloaded(1);
        } catch (ExecutionException e) {
            if (storage.failed(e.getCause())) throw ApiException.storageFull(StorageHealth.RETRY_AFTER_SECONDS);
            LOG.error("events could not be stored", e.getCause());
            throw new ApiException(500, "api_error", "storage_failed",
                    "the events could not be stored; nothing was acknowledged, so it is safe to retry", null, null, null);
        }
    }

    /** A batch item refused before any mapper could read it. */
    public Mapped reject(Request r, int index, String rawPayload, FieldError error) {
        ApiException e = ApiException.validation(List.of(error));
        return new Mapped(IngestRecord.rejected(entry(r, index, Outcome.REJECTED, 422, e, null, null, null, rawPayload,
                List.of())), List.of(), e);
    }

    private void logRefusal(Context ctx, Request r, ApiException e) {
        if (e.status() == 503) return; // the writer or the disk is full: recording it would need them
        EventLogEntry log = entry(r, 0, Outcome.REJECTED, e.status(), e, null, null, null,
                r.charged ? clip(r.body) : RefusalLog.prefix(r.body), List.of());
        if (!r.charged && !refusals.admit(log, https.clientIp(ctx))) {
            count(r.endpoint, Outcome.REJECTED);
            return;
        }
        try {
            commit(List.of(IngestRecord.rejected(log)));
        } catch (InterruptedException failed) {
            Thread.currentThread().interrupt();
        } catch (ApiException failed) {
            if (!"storage_full".equals(failed.code())) {
                LOG.warn("refused request {} could not be recorded in the events log", r.requestId);
            }
        }
    }

    /**
     * The events-log row of a request, with the warnings its answer carried. What the sender wrote is kept with each
     * character no store can hold written as its JSON escape ({@code \u0000}): a refused payload may hold them, and
     * the row must still be written.
     */
    private EventLogEntry entry(Request r, int index, Outcome outcome, int status, ApiException e, String eventName,
                                String email, String eventId, String payload, List<String> warnings) {
        return new EventLogEntry(0, r.requestId, index, r.workspace == null ? null : r.workspace.id(), r.receivedAt,
                r.endpoint, r.source.wireName(), outcome, status, e == null ? null : e.code(),
                e == null ? null : StorableText.escape(e.param()), e == null ? null : StorableText.escape(e.getMessage()),
                StorableText.escape(eventName), StorableText.escape(email), eventId, StorableText.escape(payload),
                warnings.stream().map(StorableText::escape).toList());
    }

    private void count(String endpoint, Outcome outcome) {
        outcomeCounters.computeIfAbsent(endpoint + '|' + outcome, k -> Counter.builder("touchpoint.ingest.events")
                .description("ingested payloads by endpoint and outcome").tag("endpoint", endpoint)
                .tag("outcome", outcome.wireName()).register(metrics)).increment();
    }

    /** Writes the refusal summaries counted so far; before the writer closes. */
    @Override
    public void close() {
        refusals.close();
    }

    private static String clip(String body) {
        if (body == null || body.length() <= MAX_LOGGED_PAYLOAD_CHARS) return body;
        return body.substring(0, MAX_LOGGED_PAYLOAD_CHARS) + "…[truncated]";
    }
}
