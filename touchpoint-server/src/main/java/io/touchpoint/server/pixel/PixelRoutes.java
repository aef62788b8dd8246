package io.touchpoint.server.pixel;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.ingest.PixelMapper;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.RateLimiter;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.ingest.IngestPipeline;
import io.touchpoint.server.ingest.IngestRoute;
import io.touchpoint.server.ingest.IngestRoute.Body;
import io.touchpoint.server.ingest.IngestRoute.Caller;
import io.touchpoint.server.ingest.IngestRoute.ContentType;
import io.touchpoint.server.ingest.IngestRoute.Events;
import io.touchpoint.server.ingest.IngestRoute.Payload;
import io.touchpoint.server.http.RequestTelemetry;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The pixel: {@code GET /pixel/{pixelKey}.js} serves the workspace's script and {@code POST /collect}
 * takes its beacons. Both are also served under a first-party prefix with neutral names ({@link FirstParty}, by
 * default {@code GET /t/a.js?key=} and {@code POST /t/e}), for a site that routes that prefix of its own origin to
 * Touchpoint: the script served there sends its beacons there too. /collect is public (but follows the HTTPS policy,
 * as beacons may carry what visitors typed):
 * the pixel key selects the workspace; the workspace's origin allow-list,
 * a body limit of {@value #MAX_BODY_BYTES} bytes, a per-address rate of {@value #PER_IP_LIMIT_PER_MINUTE} a
 * minute (the visitor's address: behind a trusted proxy, from its forwarding headers) and the workspace's rate limit
 * apply; beacons from bot user agents are dropped (answered 204 with
 * {@code Touchpoint-Dropped: bot}, not stored). Beacons are read whatever their content type, since
 * {@code sendBeacon} sends text/plain to stay a simple CORS request. An accepted beacon's answer sets the
 * {@link VisitorCookie}.
 */
public final class PixelRoutes {
    public static final String SCRIPT = "/pixel/{pixelKey}.js";
    public static final String COLLECT = "/collect";
    public static final int MAX_BODY_BYTES = 16 * 1024;
    public static final int PER_IP_LIMIT_PER_MINUTE = 600;
    /** Obvious bots and tools: crawlers, link previews, HTTP libraries. Headless browsers are not matched. */
    static final Pattern BOT_USER_AGENT = Pattern.compile("(?i)(bot\\b|bot/|crawler|crawl|spider|slurp|"
            + "facebookexternalhit|embedly|preview|lighthouse|pingdom|uptime|monitor|curl/|wget/|python-requests|"
            + "python-urllib|aiohttp|go-http-client|java/|okhttp|axios/|node-fetch|libwww|httpclient|scrapy|phantomjs)");
    /** The workspace's pixel settings, read once per beacon: for its origin check and for the cookie it is answered with. */
    private static final String SETTINGS_ATTRIBUTE = "touchpoint.pixelSettings";
    private static final int SCRIPT_CACHE_SECONDS = 300;

    private PixelRoutes() {
    }

    public static void routes(RoutesConfig routes, IngestPipeline pipeline, Store store, RateLimiter limiter,
                              HttpsPolicy https, Clock clock, FirstParty firstParty, VisitorCookie cookie,
                              VisitorRegion region) {
        routes.get(SCRIPT, ctx -> script(ctx, store, ctx.pathParam("pixelKey"), COLLECT, region));
        routes.get(firstParty.script(), ctx -> script(ctx, store, key(ctx), firstParty.collect(), region));
        IngestRoute beacon = new IngestRoute(Source.PIXEL,
                new Caller.SiteKey(ctx -> site(ctx, store, limiter, https, clock), (ctx, w) -> keep(ctx, store, w)),
                new Body(MAX_BODY_BYTES, ContentType.ANY),
                new Events.Single(new PixelMapper(), (ctx, body, text) -> withVisitor(ctx, body, text, https, region)),
                (ctx, accepted) -> accepted(ctx, accepted, cookie));
        for (String path : List.of(COLLECT, firstParty.collect())) {
            routes.post(path, ctx -> {
                allowOrigin(ctx); // before any refusal, so that the page may read it
                pipeline.run(ctx, path, beacon);
            });
        }
    }

    public static boolean isBot(String userAgent) {
        return userAgent == null || userAgent.isBlank() || BOT_USER_AGENT.matcher(userAgent).find();
    }

    /**
     * The script of the workspace whose pixel key is {@code key}, sending its beacons to {@code collectPath}, with the
     * workspace's consent default for this visitor. A default by region differs from visitor to visitor, so that script
     * is for the browser's cache only, never a shared one's.
     */
    private static void script(Context ctx, Store store, String key, String collectPath, VisitorRegion region) {
        Workspace w = store.workspaces().byPixelKey(key).orElseThrow(() -> unknownKey());
        RequestTelemetry.workspace(ctx, w.id());
        ConsentSettings consent = w.settings().consent();
        PixelScript s = PixelScript.of(w.pixelKey(), store.pixelSettings().get(w.id()), collectPath,
                consent.defaultFor(region.of(ctx)));
        boolean byRegion = consent.defaultMode() == ConsentSettings.DefaultMode.BY_REGION;
        ctx.header("ETag", s.etag);
        ctx.header("Cache-Control", (byRegion ? "private" : "public") + ", max-age=" + SCRIPT_CACHE_SECONDS);
        ctx.header("Vary", byRegion && region.countryHeader() != null
                ? "Accept-Encoding, " + region.countryHeader() : "Accept-Encoding");
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.contentType("text/javascript; charset=utf-8");
        String inm = ctx.header("If-None-Match");
        if (inm != null && (inm.contains(s.etag) || inm.strip().equals("*"))) {
            ctx.status(304);
            return;
        }
        String accept = ctx.header("Accept-Encoding");
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains("gzip")) {
            ctx.header("Content-Encoding", "gzip");
            ctx.result(s.gzipped);
        } else {
            ctx.result(s.plain);
        }
    }

    private static void allowOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
    }

    /** The workspace of the beacon's pixel key, after the visitor's address is within its rate. */
    private static Workspace site(Context ctx, Store store, RateLimiter limiter, HttpsPolicy https, Clock clock) {
        RateLimiter.Decision d = limiter.check("pixel-ip:" + https.clientIp(ctx), PER_IP_LIMIT_PER_MINUTE, clock.millis());
        if (!d.allowed()) throw ApiException.rateLimited(d.retryAfterSeconds());
        Workspace w = store.workspaces().byPixelKey(key(ctx)).orElseThrow(PixelRoutes::unknownKey);
        RequestTelemetry.workspace(ctx, w.id());
        return w;
    }

    /** Refuses a beacon from an origin the workspace does not allow; drops one from a bot unstored (204). */
    private static boolean keep(Context ctx, Store store, Workspace w) {
        PixelSettings settings = store.pixelSettings().get(w.id());
        ctx.attribute(SETTINGS_ATTRIBUTE, settings); // for the cookie of the answer
        String origin = ctx.header("Origin");
        if (!settings.allowsOrigin(origin)) {
            throw ApiException.invalid(403, "origin_not_allowed", "origin "
                    + (origin == null ? "(none)" : "'" + origin + "'") + " is not in the workspace's pixel allow-list");
        }
        if (isBot(ctx.userAgent())) {
            ctx.header("Touchpoint-Dropped", "bot");
            ctx.status(204);
            return false;
        }
        return true;
    }

    /** The beacon with what the server knows of its visitor: the address, user agent and region. */
    private static Payload withVisitor(Context ctx, Map<String, Object> beacon, String text, HttpsPolicy https,
                                       VisitorRegion region) {
        Map<String, Object> body = new HashMap<>(beacon);
        body.put(PixelMapper.IP, https.clientIp(ctx));
        body.put(PixelMapper.USER_AGENT, ctx.userAgent());
        body.put(PixelMapper.REGION, region.of(ctx));
        return new Payload(body, text, List.of());
    }

    private static void accepted(Context ctx, IngestRoute.Accepted a, VisitorCookie cookie) {
        PixelSettings settings = ctx.attribute(SETTINGS_ATTRIBUTE);
        cookie.decide(ctx, a.event().identifier(IdentifierType.VISITOR_TOKEN), settings, a.event().consent()).apply(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "accepted");
        out.put("event_id", a.result() instanceof IngestResult.Stored s ? s.eventId() : null);
        out.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, 202, out);
    }

    /** The pixel key of {@code ?key=}. */
    private static String key(Context ctx) {
        String key = ctx.queryParam("key");
        if (key == null || key.isBlank()) {
            throw ApiException.invalid(400, "pixel_key_missing", "send the pixel key as ?key=<pixelKey>");
        }
        return key.strip();
    }

    private static ApiException unknownKey() {
        return ApiException.invalid(404, "pixel_key_unknown", "no workspace has this pixel key");
    }
}
