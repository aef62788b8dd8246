package io.touchpoint.server.http;

import io.javalin.http.Context;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A CSV answer ({@code text/csv; charset=utf-8}) streamed to the client as its rows are written, offered as a
 * download under a file name reduced to letters, digits, dots, dashes and underscores, so that no value a caller
 * chose (a date, a grouping) can break out of the {@code Content-Disposition} header or name a path. Everything that
 * can refuse the request is checked before: once the first byte is sent the status is 200.
 */
public final class CsvResponse {
    private CsvResponse() {
    }

    public static void send(Context ctx, String filename, List<String> header, Consumer<CsvWriter> rows) {
        ctx.status(200).contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + safeFilename(filename) + "\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 64 * 1024);
        try (CsvWriter csv = new CsvWriter(out, header)) {
            rows.accept(csv);
        }
    }

    /** {@code name} with every character but {@code A-Z a-z 0-9 . - _} made a dash, never empty nor hidden. */
    public static String safeFilename(String name) {
        String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "-");
        while (safe.startsWith(".")) safe = safe.substring(1);
        if (safe.length() > 200) safe = safe.substring(safe.length() - 200);
        return safe.isEmpty() ? "export.csv" : safe;
    }
}
