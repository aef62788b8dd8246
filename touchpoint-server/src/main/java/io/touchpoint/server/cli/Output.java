package io.touchpoint.server.cli;

import io.touchpoint.server.http.Json;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints results as aligned text for people or JSON for scripts. */
final class Output {
    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        out.println(Json.text(value));
        out.flush();
    }

    static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) widths[i] = headers.get(i).length();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) widths[i] = Math.max(widths[i], String.valueOf(r.get(i)).length());
        }
        line(out, headers, widths);
        for (List<String> r : rows) line(out, r, widths);
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i) == null ? "-" : cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) sb.append(" ".repeat(widths[i] - c.length() + 2));
        }
        out.println(sb.toString().stripTrailing());
    }

    static String or(Object v) {
        return v == null ? "-" : v.toString();
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        var m = new java.util.LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }
}
