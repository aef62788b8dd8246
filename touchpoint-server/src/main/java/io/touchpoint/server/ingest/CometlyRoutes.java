package io.touchpoint.server.ingest;

import io.javalin.config.RoutesConfig;
import io.touchpoint.core.ingest.CometlyMapper;
import io.touchpoint.core.ingest.DialectMapper;
import io.touchpoint.core.model.Source;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.ingest.IngestRoute.Body;
import io.touchpoint.server.ingest.IngestRoute.Caller;
import io.touchpoint.server.ingest.IngestRoute.Events;
import io.touchpoint.server.ingest.IngestRoute.Reply;

/** The Cometly-compatible events API: single events, the /track alias, and batches, sent with an ingest token. */
public final class CometlyRoutes {
    public static final String EVENTS = "/public-api/v1/events";
    public static final String TRACK = "/public-api/v1/events/track";
    public static final String BATCH = "/public-api/v1/events/batch";
    public static final int MAX_BATCH_EVENTS = 1000;
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;
    private static final DialectMapper MAPPER = new CometlyMapper();
    private static final IngestRoute SINGLE = new IngestRoute(Source.COMETLY, new Caller.IngestToken(),
            Body.json(Bodies.MAX_EVENT_BYTES), new Events.Single(MAPPER), Reply.ACCEPTED);
    private static final IngestRoute MANY = new IngestRoute(Source.COMETLY, new Caller.IngestToken(),
            Body.json(MAX_BATCH_BYTES), new Events.Batch(MAPPER, MAX_BATCH_EVENTS), Reply.ACCEPTED);

    private CometlyRoutes() {
    }

    public static void routes(RoutesConfig routes, IngestPipeline pipeline) {
        routes.post(EVENTS, ctx -> pipeline.run(ctx, EVENTS, SINGLE));
        routes.post(TRACK, ctx -> pipeline.run(ctx, TRACK, SINGLE));
        routes.post(BATCH, ctx -> pipeline.run(ctx, BATCH, MANY));
    }
}
