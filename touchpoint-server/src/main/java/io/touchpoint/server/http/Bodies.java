package io.touchpoint.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reading request bodies with the checks of docs/ERRORS.md: content type (415), size (413), encoding and syntax (400).
 * Bodies are UTF-8 only: text decoded leniently would be stored with replacement characters the sender never
 * sent, so a body that is not valid UTF-8, or that declares another charset, is refused instead.
 */
public final class Bodies {
    public static final int MAX_EVENT_BYTES = 1024 * 1024;
    /** The admin API's bodies: names, settings, lists of origins. */
    public static final int MAX_ADMIN_BYTES = 64 * 1024;

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

    /** A JSON object, or an empty one when no body is sent at all (no content type and no length, or blank). */
    public static Map<String, Object> objectOrNone(Context ctx, int maxBytes) {
        if (ctx.header("Content-Type") == null && ctx.req().getContentLengthLong() <= 0) return Map.of();
        requireJson(ctx);
        String text = text(ctx, maxBytes);
        return text.isBlank() ? Map.of() : object(text);
    }

    /** The most of a refused body read and dropped before the answer, so that the connection stays usable. */
    static final int DRAIN_LIMIT = 1024 * 1024;

    /**
     * Reads and drops what is left of a body refused as too large, up to {@link #DRAIN_LIMIT} bytes in all. A server
     * that answers and closes while the client is still sending resets the connection, and the client can lose the
     * answer (Java's HttpClient: "header parser received no bytes"); beyond the limit the connection is closed
     * anyway, rather than read for nothing.
     */
    private static void drain(Context ctx) {
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[16 * 1024];
            long left = DRAIN_LIMIT;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) left -= n;
        } catch (IOException e) {
            // the client gave up: the connection closes
        }
    }

    /** The body as UTF-8 text, refusing more than {@code maxBytes} (declared or actual) and any other encoding. */
    public static String text(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= DRAIN_LIMIT) drain(ctx);
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            if (timedOut(e)) {
                // the client is still there and did nothing wrong but be slow (or the server is stopping and
                // gave it a last second): answer something it may retry, not a 400 that says "drop this"
                throw ApiException.invalid(408, "request_timeout", "the request body did not arrive in time ("
                        + e.getMessage() + "); nothing was stored, so it is safe to retry");
            }
            throw ApiException.invalid(400, "body_unreadable", "the request body could not be read: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            drain(ctx);
            throw tooLarge(maxBytes);
        }
        requireUtf8Charset(ctx.header("Content-Type"));
        String text = utf8(bytes);
        RequestAudit.body(ctx, text);
        return text;
    }

    /** A {@code charset} parameter other than UTF-8 is refused: the body would be read as something it is not. */
    static void requireUtf8Charset(String contentType) {
        if (contentType == null) return;
        for (String param : contentType.split(";")) {
            String[] kv = param.split("=", 2);
            if (kv.length != 2 || !kv[0].strip().equalsIgnoreCase("charset")) continue;
            String charset = kv[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
            if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                throw ApiException.invalid(400, "charset_unsupported", "bodies must be UTF-8; the Content-Type names charset '"
                        + (charset.length() <= 40 ? charset : charset.substring(0, 40) + "…") + "'");
            }
        }
    }

    /** Strict decoding: malformed bytes are refused rather than replaced with U+FFFD. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid(400, "body_not_utf8", "the body is not valid UTF-8 text; encode it as UTF-8");
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
        try (JsonParser p = Json.MAPPER.createParser(text)) {
            parsed = Json.MAPPER.readValue(p, Object.class);
            // a second value or stray text after the first would otherwise be dropped without a word
            if (p.nextToken() != null) {
                var loc = p.currentTokenLocation();
                throw ApiException.invalid(400, "malformed_json", "the body is not valid JSON: it goes on after its JSON"
                        + " value ends (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
            }
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(400, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage()
                    + location(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source cannot fail to read
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
