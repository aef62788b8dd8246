package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.ingest.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes JSON answers; every one names the request id. */
public final class Responses {
    public static final String REQUEST_ID_HEADER = "Request-Id";
    public static final String REQUEST_ID_ATTRIBUTE_NAME = "touchpoint.requestId";

    private Responses() {
    }

    public static String requestId(Context ctx) {
        return ctx.attribute(REQUEST_ID_ATTRIBUTE_NAME);
    }

    public static void json(Context ctx, int status, Object body) {
        ctx.header("X-Content-Type-Options", "nosniff"); // never read as HTML or script, whatever a field holds
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }

    /** {@code body}'s fields and the request's id ({@code request_id}) last, as JSON. */
    public static void jsonWithRequestId(Context ctx, int status, java.util.Map<String, Object> body) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(body);
        out.put("request_id", requestId(ctx));
        json(ctx, status, out);
    }

    public static void error(Context ctx, ApiException e) {
        e.headers().forEach(ctx::header);
        json(ctx, e.status(), errorBody(ctx, e));
    }

    /** The error shape of docs/ERRORS.md, shared by every endpoint and by batch results. */
    public static Map<String, Object> errorBody(Context ctx, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("message", e.getMessage());
        body.put("error", errorObject(ctx, e.type(), e.code(), e.param(), e.getMessage(), e.details()));
        body.put("request_id", requestId(ctx));
        return body;
    }

    public static Map<String, Object> errorObject(Context ctx, String type, String code, String param, String message,
                                                  List<FieldError> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("code", code);
        error.put("param", param);
        error.put("message", message);
        error.put("doc_url", docUrl(ctx, code));
        if (details.size() > 1) {
            error.put("details", details.stream().map(d -> Map.of("param", d.param(), "code", d.code(),
                    "message", d.message())).toList());
        }
        return error;
    }

    static String docUrl(Context ctx, String code) {
        return ctx.scheme() + "://" + ctx.host() + "/docs/errors#" + code;
    }
}
