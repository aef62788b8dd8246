package io.touchpoint.server.telemetry;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.List;
import java.util.Map;

/**
 * {@code %fields} in the logfmt pattern (logback.xml): the line's MDC entries other than {@code request_id} (which the
 * pattern prints itself), each as {@code " key=value"}, the value quoted when it holds a space, a quote, an equals
 * sign or nothing. A request's line thus carries {@code method path route status duration_ms workspace} and
 * {@code trace_id} as separate fields, as the JSON format carries them in {@code mdc}.
 */
public final class LogfmtFields extends ClassicConverter {
    public static final String REQUEST_ID = "request_id";
    public static final String TRACE_ID = "trace_id";
    public static final String WORKSPACE = "workspace";
    /** The MDC fields of a request's line after request_id, in the order logfmt prints them. */
    public static final List<String> FIELD_ORDER = List.of(TRACE_ID, "method", "path", "route", "status", "duration_ms", WORKSPACE);

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty() || (mdc.size() == 1 && mdc.containsKey(REQUEST_ID))) return "";
        StringBuilder b = new StringBuilder();
        for (String key : FIELD_ORDER) {
            String v = mdc.get(key);
            if (v != null) append(b, key, v);
        }
        mdc.forEach((k, v) -> {
            if (!FIELD_ORDER.contains(k) && !k.equals(REQUEST_ID)) append(b, k, v);
        });
        return b.toString();
    }

    private static void append(StringBuilder b, String key, String value) {
        b.append(' ').append(key).append('=');
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
        }
        if (!quote) {
            b.append(value);
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c == '\n') b.append("\\n");
            else if (c < ' ') b.append(' ');
            else b.append(c);
        }
        b.append('"');
    }
}
