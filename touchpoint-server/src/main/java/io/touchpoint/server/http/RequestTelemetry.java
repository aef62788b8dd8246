package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.touchpoint.server.telemetry.LogfmtFields;
import io.touchpoint.server.telemetry.ServerMetrics;
import io.touchpoint.server.telemetry.TraceParent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What each HTTP request leaves behind: its trace context and workspace in the log's MDC while it runs, one line in
 * the request log (method, path, route, status, duration_ms, workspace, request_id, trace_id as separate fields;
 * which requests: the setting {@code log.requests}), and its time in the histogram
 * {@code touchpoint_http_request_duration_seconds{method,route,status}}. The route is the matched route's template
 * ({@code /admin/v1/workspaces/{workspace}/tokens}), never the raw path, so the number of series stays bounded by
 * the routes; a request that matched none counts as {@value #UNMATCHED}.
 */
public final class RequestTelemetry {
    private static final Logger LOG = LoggerFactory.getLogger("io.touchpoint.server.requests");
    public static final String UNMATCHED = "unmatched";
    private static final String TRACE_ATTRIBUTE = "touchpoint.traceId";
    private static final String WORKSPACE_ATTRIBUTE = "touchpoint.workspace";
    /** A path longer than this is cut in the log: it is the client's to choose. */
    private static final int MAX_LOGGED_PATH = 256;

    /** From a cached answer (about a millisecond) to a slow platform call or a large export (seconds). */
    public static final Duration[] LATENCY_BUCKETS = ServerMetrics.millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);

    private final MeterRegistry metrics;
    /** Which requests get a line in the log: the failed ones (status 400 and up), every one, or none. */
    public enum LogRequests { FAILED, ALL, NONE }

    private final LogRequests logRequests;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RequestTelemetry(MeterRegistry metrics, LogRequests logRequests) {
        this.metrics = metrics;
        this.logRequests = logRequests;
    }

    /**
     * At the start of a request (a before-handler): the request id and, when the request carries a valid W3C
     * {@code traceparent}, its trace id go into the MDC, so every line logged while handling it names them.
     */
    public static void begin(Context ctx, String requestId) {
        MDC.put(LogfmtFields.REQUEST_ID, requestId);
        TraceParent.of(Collections.list(ctx.req().getHeaders(TraceParent.HEADER))).ifPresent(t -> {
            ctx.attribute(TRACE_ATTRIBUTE, t.traceId());
            MDC.put(LogfmtFields.TRACE_ID, t.traceId());
        });
    }

    /** The trace id of the request's valid {@code traceparent}, or null. */
    public static String traceId(Context ctx) {
        return ctx.attribute(TRACE_ATTRIBUTE);
    }

    /** Names the workspace a request acts for, once it is known (its token, pixel key or funnel mark). */
    public static void workspace(Context ctx, String workspaceId) {
        ctx.attribute(WORKSPACE_ATTRIBUTE, workspaceId);
        MDC.put(LogfmtFields.WORKSPACE, workspaceId);
    }

    /** Javalin's request logger: runs once the answer is written, with the request's time in milliseconds. */
    public void finished(Context ctx, Float executionMillis) {
        try {
            String route = route(ctx);
            int status = ctx.statusCode();
            String method = ctx.method().name();
            double ms = executionMillis == null ? 0 : executionMillis;
            timer(method, route, status).record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
            if (logRequests == LogRequests.ALL || logRequests == LogRequests.FAILED && status >= 400) {
                log(ctx, method, route, status, ms);
            }
        } finally {
            MDC.clear();
        }
    }

    private void log(Context ctx, String method, String route, int status, double ms) {
        String path = ctx.path();
        if (path.length() > MAX_LOGGED_PATH) path = path.substring(0, MAX_LOGGED_PATH) + "…";
        String duration = String.format(Locale.ROOT, "%.1f", ms);
        putIfPresent(LogfmtFields.REQUEST_ID, Responses.requestId(ctx));
        putIfPresent(LogfmtFields.TRACE_ID, traceId(ctx));
        MDC.put("method", method);
        MDC.put("path", path);
        MDC.put("route", route);
        MDC.put("status", Integer.toString(status));
        MDC.put("duration_ms", duration);
        putIfPresent(LogfmtFields.WORKSPACE, workspaceOf(ctx));
        LOG.info("{} {} -> {} in {} ms", method, path, status, duration);
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) MDC.put(key, value);
        else MDC.remove(key);
    }

    /** The workspace the request named: by its credential, pixel key or funnel mark, else its path's {workspace}. */
    private static String workspaceOf(Context ctx) {
        String ws = ctx.attribute(WORKSPACE_ATTRIBUTE);
        if (ws != null) return ws;
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        if (e == null || !e.path.contains("{workspace}")) return null;
        try {
            return ctx.pathParam("workspace");
        } catch (RuntimeException notThere) {
            return null;
        }
    }

    /** The matched route's template, e.g. {@code /admin/v1/workspaces/{workspace}}, or {@value #UNMATCHED}. */
    public static String route(Context ctx) {
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        return e == null ? UNMATCHED : e.path;
    }

    private Timer timer(String method, String route, int status) {
        String key = method + ' ' + route + ' ' + status;
        Timer t = timers.get(key);
        if (t != null) return t;
        return timers.computeIfAbsent(key, k -> Timer.builder("touchpoint.http.request.duration")
                .description("Time from a request's arrival to its answer written, by method, route template and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(metrics));
    }

}
