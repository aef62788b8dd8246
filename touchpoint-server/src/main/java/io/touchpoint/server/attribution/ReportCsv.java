package io.touchpoint.server.attribution;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An attribution report as CSV: one line per group and model (and day, for the daily variant). Group names come
 * from what visitors' URLs and senders' payloads said, so a text cell that a spreadsheet would read as a formula
 * (starting with {@code = + - @}, a tab or a carriage return) is written with a leading apostrophe, which makes
 * it plain text there.
 */
final class ReportCsv {
    private static final CsvMapper CSV = new CsvMapper();
    private static final List<String> FIGURES = List.of("conversions", "revenue", "cost", "cost_per_conversion", "roas");

    private ReportCsv() {
    }

    @SuppressWarnings("unchecked")
    static String write(Map<String, Object> report, boolean daily) {
        CsvSchema.Builder schema = CsvSchema.builder();
        if (daily) schema.addColumn("date");
        schema.addColumn("group").addColumn("model").addColumn("currency");
        FIGURES.forEach(schema::addColumn);
        StringWriter out = new StringWriter();
        try (SequenceWriter w = CSV.writer(schema.build().withHeader()).writeValues(out)) {
            if (daily) {
                for (Map<String, Object> day : (List<Map<String, Object>>) report.get("series")) {
                    lines(w, (String) day.get("date"), (List<Map<String, Object>>) day.get("rows"), (String) report.get("currency"));
                }
            } else {
                lines(w, null, (List<Map<String, Object>>) report.get("rows"), (String) report.get("currency"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void lines(SequenceWriter w, String date, List<Map<String, Object>> rows, String currency) throws IOException {
        for (Map<String, Object> row : rows) {
            for (var model : ((Map<String, Map<String, Object>>) row.get("models")).entrySet()) {
                Map<String, Object> line = new LinkedHashMap<>();
                if (date != null) line.put("date", cell(date));
                line.put("group", cell(row.get("group")));
                line.put("model", cell(model.getKey()));
                line.put("currency", cell(currency));
                for (String f : FIGURES) line.put(f, cell(model.getValue().get(f)));
                w.write(line);
            }
        }
    }

    /** A text cell a spreadsheet shows as text; numbers stay numbers. */
    static Object cell(Object value) {
        if (!(value instanceof String s) || s.isEmpty()) return value;
        char first = s.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + s : s;
    }
}
