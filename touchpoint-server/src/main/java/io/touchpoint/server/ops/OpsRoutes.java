package io.touchpoint.server.ops;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.touchpoint.server.http.Responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Health, readiness, Prometheus metrics, the OpenAPI document and the error reference. */
public final class OpsRoutes {
    public static final String OPENAPI_RESOURCE = "/openapi.json";
    public static final String ERRORS_RESOURCE = "/ERRORS.md";

    private OpsRoutes() {
    }

    public static void routes(RoutesConfig routes, BooleanSupplier ready, PrometheusMeterRegistry metrics) {
        byte[] openapi = resource(OPENAPI_RESOURCE);
        byte[] errors = resource(ERRORS_RESOURCE);
        routes.get("/healthz", ctx -> Responses.json(ctx, 200, Map.of("status", "ok")));
        routes.get("/readyz", ctx -> {
            boolean ok = ready.getAsBoolean();
            Responses.json(ctx, ok ? 200 : 503, Map.of("status", ok ? "ready" : "not ready"));
        });
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
        routes.get("/docs/errors", ctx -> ctx.contentType("text/markdown; charset=utf-8").result(errors));
    }

    static byte[] resource(String name) {
        try (InputStream in = OpsRoutes.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the program");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
