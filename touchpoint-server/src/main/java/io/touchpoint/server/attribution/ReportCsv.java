package io.touchpoint.server.attribution;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An attribution report as CSV: one line per group and model (and day, for the daily variant), from the same rows as
 * its JSON. Group names come from what visitors' URLs and senders' payloads said, so a text cell that a spreadsheet
 * would read as a formula (starting with {@code = + - @}, a tab or a carriage return) is written with a leading
 * apostrophe, which makes it plain text there.
 */
final class ReportCsv {
    private static final CsvMapper CSV = new CsvMapper();

    private ReportCsv() {
    }

    /** Per day when the report has its daily series, for the whole range otherwise. */
    static String write(Report report) {
        boolean daily = report.series() != null;
        CsvSchema.Builder schema = CsvSchema.builder();
        if (daily) schema.addColumn("date");
        for (String c : List.of("group", "model", "currency", "conversions", "revenue", "cost", "cost_per_conversion", "roas")) {
            schema.addColumn(c);
        }
        List<String> events = events(report.rows());
        for (String e : events) {
            schema.addColumn(e + "_conversions");
            schema.addColumn(e + "_revenue");
        }
        boolean ads = report.rows().stream().anyMatch(r -> r.ad() != null);
        if (ads) for (String c : AD_COLUMNS) schema.addColumn(c);
        StringWriter out = new StringWriter();
        try (SequenceWriter w = CSV.writer(schema.build().withHeader()).writeValues(out)) {
            if (daily) {
                for (Report.Day day : report.series()) lines(w, day.date(), day.rows(), report.currency(), List.of(), false);
            } else {
                lines(w, null, report.rows(), report.currency(), events, ads);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static final List<String> AD_COLUMNS = List.of("platform", "campaign_id", "campaign", "ad_set_id", "ad_set",
            "ad_id", "ad", "impressions", "clicks", "platform_conversions", "platform_conversion_value");

    /** The events columns of the rows ({@code events=…}), in their order. */
    private static List<String> events(List<Report.Row> rows) {
        for (Report.Row r : rows) {
            for (Report.Figures f : r.models().values()) if (f.events() != null) return List.copyOf(f.events().keySet());
        }
        return List.of();
    }

    private static void lines(SequenceWriter w, LocalDate date, List<Report.Row> rows, String currency, List<String> events,
                              boolean ads) throws IOException {
        for (Report.Row row : rows) {
            for (Map.Entry<String, Report.Figures> model : row.models().entrySet()) {
                Report.Figures f = model.getValue();
                List<Object> line = new ArrayList<>(9);
                if (date != null) line.add(date.toString());
                line.addAll(List.of(cell(row.group()), cell(model.getKey()), cell(currency)));
                line.add(f.conversions());
                line.add(f.revenue());
                line.add(f.cost());
                line.add(f.costPerConversion());
                line.add(f.roas());
                for (String e : events) {
                    Report.EventFigures ef = f.events() == null ? null : f.events().get(e);
                    line.add(ef == null ? null : ef.conversions());
                    line.add(ef == null ? null : ef.revenue());
                }
                if (ads) {
                    Report.AdLine a = row.ad();
                    if (a == null) {
                        for (int i = 0; i < AD_COLUMNS.size(); i++) line.add(null);
                    } else {
                        for (Object v : new Object[]{a.platform(), a.campaignId(), a.campaign(), a.adSetId(), a.adSet(),
                                a.adId(), a.ad()}) line.add(cell(v));
                        line.addAll(List.of(a.impressions(), a.clicks(), a.platformConversions(), a.platformConversionValue()));
                    }
                }
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
