package io.touchpoint.server.telemetry;

import java.util.List;
import java.util.Optional;

/**
 * A W3C Trace Context {@code traceparent} header (https://www.w3.org/TR/trace-context/#traceparent-header):
 * {@code version-traceid-parentid-flags}, lower-case hex, 2-32-16-2 digits. Version {@code ff} is invalid; version
 * {@code 00} is exactly 55 characters; a later version may carry more after a {@code -} at position 55, which is
 * ignored as the spec asks. An all-zero trace id or parent id is invalid. Anything invalid, or the header sent more
 * than once, is ignored as if absent (the spec: a receiver that cannot parse it starts a new trace).
 */
public record TraceParent(String version, String traceId, String parentId, String flags) {
    public static final String HEADER = "traceparent";
    private static final int LENGTH = 55;

    /** The trace context of a request's {@code traceparent} header values, if exactly one valid one was sent. */
    public static Optional<TraceParent> of(List<String> headerValues) {
        if (headerValues == null || headerValues.size() != 1) return Optional.empty();
        return parse(headerValues.get(0));
    }

    public static Optional<TraceParent> parse(String header) {
        if (header == null) return Optional.empty();
        String h = header.strip(); // optional whitespace around a header value is not part of it
        if (h.length() < LENGTH) return Optional.empty();
        String version = h.substring(0, 2);
        if (!hex(version) || version.equals("ff")) return Optional.empty();
        if (version.equals("00") ? h.length() != LENGTH : h.length() > LENGTH && h.charAt(LENGTH) != '-') {
            return Optional.empty();
        }
        if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') return Optional.empty();
        String traceId = h.substring(3, 35);
        String parentId = h.substring(36, 52);
        String flags = h.substring(53, 55);
        if (!hex(traceId) || !hex(parentId) || !hex(flags)) return Optional.empty();
        if (zeros(traceId) || zeros(parentId)) return Optional.empty();
        return Optional.of(new TraceParent(version, traceId, parentId, flags));
    }

    /** Whether the caller recorded its part of the trace (flag bit 0). */
    public boolean sampled() {
        return (Integer.parseInt(flags, 16) & 1) == 1;
    }

    private static boolean hex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    private static boolean zeros(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) != '0') return false;
        return true;
    }
}
