package io.touchpoint.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Reading JSON request bodies with the checks of SPEC §2: content type (415), size (413), syntax (400). */
public final class Bodies {
    public static final int MAX_EVENT_BYTES = 1024 * 1024;

    private Bodies() {
    }

    public static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        String base = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json") && !(base.startsWith("application/") && base.endsWith("+json"))) {
            throw ApiException.invalid(415, "unsupported_media_type", type == null
                    ? "missing Content-Type: send 'Content-Type: application/json'"
                    : "Content-Type must be application/json, got '" + type + "'");
        }
    }

    /** The body as UTF-8 text, refusing more than {@code maxBytes} (declared or actual). */
    public static String text(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) throw tooLarge(maxBytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (timedOut(e)) {
                // the client is still there and did nothing wrong but be slow (or the server is stopping and
                // gave it a last second): answer something it may retry, not a 400 that says "drop this"
                throw ApiException.invalid(408, "request_timeout", "the request body did not arrive in time ("
                        + e.getMessage() + "); nothing was stored, so it is safe to retry");
            }
            throw ApiException.invalid(400, "body_unreadable", "the request body could not be read: " + e.getMessage());
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** Parses a JSON object; anything else (an array, a number, broken JSON) is a 400. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        Object parsed;
        try {
            parsed = Json.MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(400, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage()
                    + location(e));
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw ApiException.invalid(400, "body_not_object", "the body must be a JSON object, got "
                    + (parsed instanceof java.util.List<?> ? "an array" : parsed == null ? "null" : "a " + kind(parsed)));
        }
        return (Map<String, Object>) map;
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String kind(Object o) {
        return o instanceof String ? "string" : o instanceof Number ? "number" : o instanceof Boolean ? "boolean" : "value";
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.invalid(413, "body_too_large", "the body is larger than " + maxBytes / 1024 + " KB");
    }
}
