package io.touchpoint.server.ingest;

import io.javalin.config.RoutesConfig;
import io.touchpoint.core.ingest.AbleMapper;
import io.touchpoint.core.model.Source;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.ingest.IngestRoute.Body;
import io.touchpoint.server.ingest.IngestRoute.Caller;
import io.touchpoint.server.ingest.IngestRoute.Events;
import io.touchpoint.server.ingest.IngestRoute.Reply;

/**
 * The Able CDP inbound webhook at Able's own path and an alias. No token is needed: the funnel mark in the body
 * selects workspace and funnel. A bearer token may be sent as well; then it must be a valid ingest token of the
 * same workspace.
 */
public final class AbleRoutes {
    public static final String EVENT = "/uip-events/event";
    public static final String ALIAS = "/webhooks/able";

    private AbleRoutes() {
    }

    public static void routes(RoutesConfig routes, IngestPipeline pipeline, FunnelResolver funnels) {
        IngestRoute route = new IngestRoute(Source.ABLE, new Caller.FunnelMark(funnels),
                Body.json(Bodies.MAX_EVENT_BYTES), new Events.Single(new AbleMapper()), Reply.ACCEPTED);
        routes.post(EVENT, ctx -> pipeline.run(ctx, EVENT, route));
        routes.post(ALIAS, ctx -> pipeline.run(ctx, ALIAS, route));
    }
}
