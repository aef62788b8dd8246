package io.touchpoint.server.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.server.telemetry.BuildInfo;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Json;
import io.touchpoint.server.http.Responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Health, readiness, Prometheus metrics, the OpenAPI document and the error reference. The metrics tell how busy
 * the server is and which endpoints are failing, so they are served to a loopback client, or to anyone with the
 * {@code metrics.token} as a bearer token (Prometheus' {@code authorization} setting) when one is set.
 */
public final class OpsRoutes {
    public static final String OPENAPI_RESOURCE = "/openapi.json";
    public static final String ERRORS_RESOURCE = "/ERRORS.md";

    private OpsRoutes() {
    }

    /** @param metricsToken the token /metrics requires, or null: then only loopback clients are answered */
    public static void routes(RoutesConfig routes, BooleanSupplier ready, PrometheusMeterRegistry metrics, HttpsPolicy https,
                              String metricsToken) {
        byte[] openapi = withVersion(resource(OPENAPI_RESOURCE), BuildInfo.current().version());
        byte[] errors = resource(ERRORS_RESOURCE);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("version", BuildInfo.current().version());
        health.put("commit", BuildInfo.current().commit());
        routes.get("/healthz", ctx -> Responses.json(ctx, 200, health));
        routes.get("/readyz", ctx -> {
            boolean ok = ready.getAsBoolean();
            Responses.json(ctx, ok ? 200 : 503, Map.of("status", ok ? "ready" : "not ready"));
        });
        String tokenHash = metricsToken == null ? null : Secrets.sha256Hex(metricsToken);
        routes.get("/metrics", ctx -> {
            https.check(ctx);
            requireMetricsAccess(ctx, https, tokenHash);
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
        routes.get("/docs/errors", ctx -> ctx.contentType("text/markdown; charset=utf-8").result(errors));
    }

    private static void requireMetricsAccess(Context ctx, HttpsPolicy https, String tokenHash) {
        if (tokenHash == null) {
            if (HttpsPolicy.isLoopback(https.clientIp(ctx))) return;
            throw ApiException.permission("metrics_token_required", "/metrics answers other machines only with a token:"
                    + " set metrics.token and send it as 'Authorization: Bearer <token>'");
        }
        String h = ctx.header("Authorization");
        String[] parts = h == null ? new String[0] : h.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")
                || !Secrets.equalHashes(Secrets.sha256Hex(parts[1]), tokenHash)) {
            throw ApiException.authentication("metrics_token_invalid", "/metrics needs the metrics token (the setting "
                    + "metrics.token) as 'Authorization: Bearer <token>'");
        }
    }

    /** The OpenAPI document with {@code info.version} set to the version of the program that serves it. */
    static byte[] withVersion(byte[] document, String version) {
        try {
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(document);
            ((ObjectNode) doc.path("info")).put("version", version);
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException(OPENAPI_RESOURCE + " is not an OpenAPI document with an info object", e);
        }
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
