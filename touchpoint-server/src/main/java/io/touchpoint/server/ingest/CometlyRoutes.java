package io.touchpoint.server.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.ingest.CometlyMapper;
import io.touchpoint.core.ingest.DialectMapper;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.Json;
import io.touchpoint.server.http.Responses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Cometly events API (SPEC §2): single events, the /track alias, and batches. */
public final class CometlyRoutes {
    public static final String EVENTS = "/public-api/v1/events";
    public static final String TRACK = "/public-api/v1/events/track";
    public static final String BATCH = "/public-api/v1/events/batch";
    public static final int MAX_BATCH_EVENTS = 1000;
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;
    private static final DialectMapper MAPPER = new CometlyMapper();

    private CometlyRoutes() {
    }

    public static void routes(RoutesConfig routes, IngestEdge edge) {
        routes.post(EVENTS, ctx -> edge.handle(ctx, EVENTS, Source.COMETLY, (c, r) -> single(c, r, edge)));
        routes.post(TRACK, ctx -> edge.handle(ctx, TRACK, Source.COMETLY, (c, r) -> single(c, r, edge)));
        routes.post(BATCH, ctx -> edge.handle(ctx, BATCH, Source.COMETLY, (c, r) -> batch(c, r, edge)));
    }

    /** Answers a single-event request; shared with other dialects' single-event routes. */
    static void single(Context ctx, IngestEdge.Request r, IngestEdge edge, DialectMapper mapper) throws Exception {
        String text = Bodies.text(ctx, Bodies.MAX_EVENT_BYTES);
        r.body(text); // before the content-type check, so that a 415 is logged with its payload
        Bodies.requireJson(ctx);
        Map<String, Object> body = Bodies.object(text);
        IngestEdge.Mapped m = edge.map(r, mapper, body, text, 0);
        IngestResult result = edge.commit(List.of(m.record())).get(0);
        if (m.error() != null) {
            Responses.error(ctx, m.error());
            return;
        }
        Responses.json(ctx, 202, accepted(ctx, result, m.warnings()));
    }

    private static void single(Context ctx, IngestEdge.Request r, IngestEdge edge) throws Exception {
        edge.authenticate(ctx, r);
        single(ctx, r, edge, MAPPER);
    }

    private static void batch(Context ctx, IngestEdge.Request r, IngestEdge edge) throws Exception {
        edge.authenticate(ctx, r);
        String text = Bodies.text(ctx, MAX_BATCH_BYTES);
        r.body(text); // before the content-type check, so that a 415 is logged with its payload
        Bodies.requireJson(ctx);
        Map<String, Object> body = Bodies.object(text);
        if (!(body.get("events") instanceof List<?> items)) {
            throw ApiException.validation(List.of(body.get("events") == null
                    ? new FieldError("events", FieldError.MISSING, "a batch is a JSON object with an 'events' array")
                    : new FieldError("events", FieldError.INVALID_TYPE, "'events' must be an array of event objects")));
        }
        if (items.isEmpty() || items.size() > MAX_BATCH_EVENTS) {
            throw ApiException.validation(List.of(new FieldError("events", FieldError.INVALID_VALUE, "a batch holds 1 to " + MAX_BATCH_EVENTS + " events, got " + items.size())));
        }
        List<IngestEdge.Mapped> mapped = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String raw = Json.text(item);
            if (item instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked") Map<String, Object> event = (Map<String, Object>) map;
                mapped.add(edge.map(r, MAPPER, event, raw, i));
            } else {
                mapped.add(edge.reject(r, i, raw, new FieldError("events[" + i + "]", FieldError.INVALID_TYPE,
                        "events[" + i + "] must be a JSON object")));
            }
        }
        List<IngestResult> results = edge.commit(mapped.stream().map(IngestEdge.Mapped::record).toList());
        List<Map<String, Object>> out = new ArrayList<>(items.size());
        int accepted = 0, duplicates = 0, rejected = 0;
        for (int i = 0; i < mapped.size(); i++) {
            IngestEdge.Mapped m = mapped.get(i);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", i);
            if (m.error() != null) {
                rejected++;
                one.putAll(Responses.errorBody(ctx, m.error()));
                one.remove("request_id");
            } else {
                one.putAll(accepted(ctx, results.get(i), m.warnings()));
                one.remove("request_id");
                if (results.get(i) instanceof IngestResult.Duplicate) duplicates++;
                else accepted++;
            }
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

    static Map<String, Object> accepted(Context ctx, IngestResult result, List<String> warnings) {
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
}
