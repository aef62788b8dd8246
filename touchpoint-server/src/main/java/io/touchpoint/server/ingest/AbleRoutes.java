package io.touchpoint.server.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.ingest.AbleMapper;
import io.touchpoint.core.ingest.DialectMapper;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.Responses;

import java.util.List;
import java.util.Map;

/**
 * The Able CDP inbound webhook (SPEC §3) at Able's own path and an alias. No token is needed: the funnel
 * mark in the body selects workspace and funnel. A bearer token may be sent as well; then it must be a
 * valid ingest token of the same workspace.
 */
public final class AbleRoutes {
    public static final String EVENT = "/uip-events/event";
    public static final String ALIAS = "/webhooks/able";
    private static final DialectMapper MAPPER = new AbleMapper();

    private AbleRoutes() {
    }

    public static void routes(RoutesConfig routes, IngestEdge edge, FunnelResolver funnels) {
        routes.post(EVENT, ctx -> edge.handle(ctx, EVENT, Source.ABLE, (c, r) -> event(c, r, edge, funnels)));
        routes.post(ALIAS, ctx -> edge.handle(ctx, ALIAS, Source.ABLE, (c, r) -> event(c, r, edge, funnels)));
    }

    private static void event(Context ctx, IngestEdge.Request r, IngestEdge edge, FunnelResolver funnels)
            throws Exception {
        edge.checkHttps(ctx);
        String text = Bodies.text(ctx, Bodies.MAX_EVENT_BYTES);
        r.body(text); // before the content-type check, so that a 415 is logged with its payload
        Bodies.requireJson(ctx);
        Map<String, Object> body = Bodies.object(text);
        Object rawMark = body.get("funnel_mark");
        if (!(rawMark instanceof String mark) || mark.isBlank()) {
            throw ApiException.validation(List.of(rawMark == null || rawMark instanceof String // blank is absent
                    ? new FieldError("funnel_mark", FieldError.MISSING, "funnel_mark is required")
                    : new FieldError("funnel_mark", FieldError.INVALID_TYPE, "funnel_mark must be a string")));
        }
        FunnelResolver.Resolved f = funnels.resolve(mark.strip());
        edge.authenticateOptionalToken(ctx, r, f.workspace());
        IngestEdge.Mapped m = edge.map(r, MAPPER, body, text, 0, f.funnel().id());
        IngestResult result = edge.commit(List.of(m.record())).get(0);
        if (m.error() != null) {
            Responses.error(ctx, m.error());
            return;
        }
        Responses.json(ctx, 202, CometlyRoutes.accepted(ctx, result, m.warnings()));
    }
}
