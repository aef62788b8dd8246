package io.touchpoint.server.ingest;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogEntry.Outcome;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Json;
import io.touchpoint.server.http.RateLimiter;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.ingest.EventRecords.Mapped;
import io.touchpoint.server.ingest.IngestRoute.Caller;
import io.touchpoint.server.ingest.IngestRoute.ContentType;
import io.touchpoint.server.ingest.IngestRoute.Events;
import io.touchpoint.server.http.RequestTelemetry;
import io.touchpoint.server.telemetry.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every ingest request the way its {@link IngestRoute} describes: HTTPS policy, finding the workspace and
 * authenticating the caller, the workspace's rate limit, reading the body, mapping it through the dialect's mapper,
 * handing the records to the writer and waiting for the commit, and the answer. A refusal is recorded in the events
 * log before its error answer goes out: one that a workspace's rate limit paid for in full; any other (no valid
 * credential, or a 429) through {@link RefusalLog}, which keeps what it writes to a fixed budget, and one of no
 * workspace also counts against its address's {@value #UNAUTHENTICATED_LIMIT_PER_MINUTE} a minute.
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    /** Unauthenticated calls are limited per client address, which slows token guessing. */
    static final int UNAUTHENTICATED_LIMIT_PER_MINUTE = 600;
    static final int MAX_LOGGED_PAYLOAD_CHARS = 1024 * 1024;
    private final Authenticator auth;
    private final RateLimiter limiter;
    private final HttpsPolicy https;
    private final Clock clock;
    private final EventRecords records;
    private final RefusalLog refusals;

    public IngestPipeline(IngestLog writer, Authenticator auth, RateLimiter limiter, HttpsPolicy https, Clock clock,
                          MeterRegistry metrics, StorageHealth storage) {
        this.auth = auth;
        this.limiter = limiter;
        this.https = https;
        this.clock = clock;
        this.records = new EventRecords(writer, storage, metrics);
        this.refusals = new RefusalLog(writer, storage, clock);
    }

    /** What one request has shown so far; its refusal is logged with it. Lives for one {@link #run} call. */
    private static final class Attempt {
        final String requestId;
        final Instant receivedAt;
        final String endpoint;
        final Source source;
        Workspace workspace;
        String funnelId;
        String body;
        /** Whether the workspace's rate limit counted this request: then its refusal is written in full. */
        boolean charged;

        Attempt(String requestId, Instant receivedAt, String endpoint, Source source) {
            this.requestId = requestId;
            this.receivedAt = receivedAt;
            this.endpoint = endpoint;
            this.source = source;
        }

        EventRecords.Sender sender() {
            return new EventRecords.Sender(requestId, receivedAt, endpoint, source, workspace, funnelId);
        }
    }

    /** Runs one ingest request at {@code endpoint}; a refusal is recorded in the events log before the answer. */
    public void run(Context ctx, String endpoint, IngestRoute route) throws Exception {
        Attempt a = new Attempt(Responses.requestId(ctx), clock.instant(), endpoint, route.source());
        try {
            steps(ctx, route, a);
        } catch (ApiException e) {
            ApiException answer = a.workspace == null && e.status() != 429 && e.status() != 503 ? throttled(ctx, e) : e;
            logRefusal(ctx, a, answer);
            throw answer;
        }
    }

    private void steps(Context ctx, IngestRoute route, Attempt a) throws Exception {
        Workspace keyed = null;
        switch (route.caller()) {
            case Caller.IngestToken token -> {
                https.check(ctx);
                Authenticator.Principal p = auth.workspaceToken(ctx); // a refusal counts against the address (run)
                a.workspace = p.workspace();
                rateLimit(ctx, a);
                Authenticator.requireScope(p, Scope.INGEST);
            }
            case Caller.Chosen chosen -> {
                a.workspace = chosen.workspace();
                rateLimit(ctx, a);
            }
            case Caller.SiteKey site -> {
                https.check(ctx);
                keyed = site.find().find(ctx);
            }
            case Caller.FunnelMark mark -> https.check(ctx);
        }
        ContentType type = route.body().type();
        boolean bodySent = type != ContentType.JSON_OR_NONE || ctx.req().getContentLengthLong() > 0
                || ctx.header("Content-Type") != null;
        String text = bodySent ? Bodies.text(ctx, route.body().maxBytes()) : "";
        a.body = text;
        // after the body is kept, so that a 415 is logged with its payload
        boolean json = type == ContentType.JSON || (type == ContentType.JSON_OR_NONE && !text.isBlank());
        if (json) Bodies.requireJson(ctx);
        Map<String, Object> parsed = null; // parsed when first needed: a screened-out pixel beacon never is
        switch (route.caller()) {
            case Caller.FunnelMark mark -> {
                parsed = Bodies.object(text);
                FunnelResolver.Resolved f = mark.funnels().resolve(FunnelResolver.mark(parsed));
                a.funnelId = f.funnel().id();
                admitWithOptionalToken(ctx, a, f.workspace());
            }
            case Caller.SiteKey site -> {
                a.workspace = keyed; // named in the log from here on, charged once the screen keeps the request
                if (!site.screen().keep(ctx, keyed)) return;
                admitWithOptionalToken(ctx, a, keyed);
            }
            case Caller.IngestToken token -> {
            }
            case Caller.Chosen chosen -> {
            }
        }
        if (parsed == null) parsed = json || type == ContentType.ANY ? Bodies.object(text) : Map.of();
        switch (route.events()) {
            case Events.Single single -> single(ctx, a, single, route.reply(), parsed, text);
            case Events.Batch batch -> batch(ctx, a, batch, parsed);
        }
    }

    /**
     * For a workspace the payload or a public key selects: records it, applies its rate limit, and checks a bearer
     * token when one is sent (it must be an ingest token of that same workspace).
     */
    private void admitWithOptionalToken(Context ctx, Attempt a, Workspace workspace) {
        a.workspace = workspace;
        RequestTelemetry.workspace(ctx, workspace.id());
        rateLimit(ctx, a);
        if (ctx.header("Authorization") == null) return;
        Authenticator.Principal p = auth.workspaceToken(ctx);
        if (!p.workspace().id().equals(workspace.id())) {
            throw ApiException.permission("wrong_workspace", "the API token belongs to another workspace than the funnel");
        }
        Authenticator.requireScope(p, Scope.INGEST);
    }

    /** The rate limit of the request's workspace; a request it lets through is charged to it. */
    private void rateLimit(Context ctx, Attempt a) {
        Workspace w = a.workspace;
        RateLimiter.Decision d = limiter.check("ws:" + w.id(), w.settings().rateLimitPerMinute(), clock.millis());
        rateHeaders(ctx, d);
        if (!d.allowed()) throw ApiException.rateLimited(d.retryAfterSeconds());
        a.charged = true;
    }

    /** A refusal of no workspace counts against its address; past the limit it becomes a 429. */
    private ApiException throttled(Context ctx, ApiException refusal) {
        RateLimiter.Decision d = limiter.check("ip:" + https.clientIp(ctx), UNAUTHENTICATED_LIMIT_PER_MINUTE, clock.millis());
        rateHeaders(ctx, d);
        return d.allowed() ? refusal : ApiException.rateLimitedAddress(d.retryAfterSeconds());
    }

    private static void rateHeaders(Context ctx, RateLimiter.Decision d) {
        ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
    }

    private void single(Context ctx, Attempt a, Events.Single single, IngestRoute.Reply reply,
                        Map<String, Object> body, String text) throws InterruptedException {
        IngestRoute.Payload p = single.shape().of(ctx, body, text);
        Mapped m = records.map(a.sender(), single.mapper(), p.fields(), p.raw(), 0).withWarningsFirst(p.warnings());
        IngestResult result = records.commit(List.of(m.record())).get(0);
        if (m.error() != null) {
            Responses.error(ctx, m.error());
            return;
        }
        reply.answer(ctx, new IngestRoute.Accepted(a.workspace, m.record().event(), result, m.warnings(), p.fields()));
    }

    private void batch(Context ctx, Attempt a, Events.Batch batch, Map<String, Object> body)
            throws InterruptedException {
        if (!(body.get("events") instanceof List<?> items)) {
            throw ApiException.validation(List.of(body.get("events") == null
                    ? new FieldError("events", FieldError.MISSING, "a batch is a JSON object with an 'events' array")
                    : new FieldError("events", FieldError.INVALID_TYPE, "'events' must be an array of event objects")));
        }
        if (items.isEmpty() || items.size() > batch.maxEvents()) {
            throw ApiException.invalidValue("events", "a batch holds 1 to " + batch.maxEvents() + " events, got "
                    + items.size());
        }
        EventRecords.Sender sender = a.sender();
        List<Mapped> mapped = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String raw = Json.text(item);
            if (item instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked") Map<String, Object> event = (Map<String, Object>) map;
                mapped.add(records.map(sender, batch.mapper(), event, raw, i));
            } else {
                mapped.add(records.reject(sender, i, raw, new FieldError("events[" + i + "]", FieldError.INVALID_TYPE,
                        "events[" + i + "] must be a JSON object")));
            }
        }
        List<IngestResult> results = records.commit(mapped.stream().map(Mapped::record).toList());
        List<Map<String, Object>> out = new ArrayList<>(items.size());
        int accepted = 0, duplicates = 0, rejected = 0;
        for (int i = 0; i < mapped.size(); i++) {
            Mapped m = mapped.get(i);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", i);
            if (m.error() != null) {
                rejected++;
                one.putAll(Responses.errorBody(ctx, m.error()));
            } else {
                one.putAll(accepted(ctx, results.get(i), m.warnings()));
                if (results.get(i) instanceof IngestResult.Duplicate) duplicates++;
                else accepted++;
            }
            one.remove("request_id");
            out.add(one);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", 200);
        answer.put("message", accepted + " accepted, " + duplicates + " duplicate, " + rejected + " rejected");
        answer.put("accepted", accepted);
        answer.put("duplicates", duplicates);
        answer.put("rejected", rejected);
        answer.put("results", out);
        answer.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, 200, answer);
    }

    /** The answer to an accepted (or duplicate) event, alone or as one result of a batch. */
    public static Map<String, Object> accepted(Context ctx, IngestResult result, List<String> warnings) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 202);
        if (result instanceof IngestResult.Duplicate d) {
            body.put("message", "duplicate: an event with this idempotency key was already received");
            body.put("id", d.firstEventId());
            body.put("outcome", "duplicate");
        } else if (result instanceof IngestResult.Stored s) {
            body.put("message", "event accepted");
            body.put("id", s.eventId());
            body.put("outcome", "accepted");
        }
        if (!warnings.isEmpty()) body.put("warnings", warnings);
        body.put("request_id", Responses.requestId(ctx));
        return body;
    }

    private void logRefusal(Context ctx, Attempt a, ApiException e) {
        if (e.status() == 503) return; // the writer or the disk is full: recording it would need them
        EventLogEntry log = records.refusal(a.sender(), e, a.charged ? clip(a.body) : RefusalLog.prefix(a.body));
        if (!a.charged && !refusals.admit(log, https.clientIp(ctx))) {
            records.count(a.endpoint, Outcome.REJECTED);
            return;
        }
        try {
            records.commit(List.of(IngestRecord.rejected(log)));
        } catch (InterruptedException failed) {
            Thread.currentThread().interrupt();
        } catch (ApiException failed) {
            if (!"storage_full".equals(failed.code())) {
                LOG.warn("refused request {} could not be recorded in the events log", a.requestId);
            }
        }
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
