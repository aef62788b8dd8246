package io.touchpoint.server.attribution;

import io.touchpoint.server.http.CsvWriter;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An attribution report as CSV: one line per group and model (and day, for the daily variant), from the same rows as
 * its JSON; the writer keeps group names a spreadsheet would run as formulas as text.
 */
public final class ReportCsv {
    private static final List<String> COLUMNS = List.of("group", "model", "currency", "conversions", "revenue", "cost",
            "cost_per_conversion", "roas");

    private ReportCsv() {
    }

    /** The columns: {@code date} first when the report has its daily series. */
    public static List<String> header(Report report) {
        if (report.series() == null) return COLUMNS;
        List<String> daily = new ArrayList<>(COLUMNS.size() + 1);
        daily.add("date");
        daily.addAll(COLUMNS);
        return daily;
    }

    /** Per day when the report has its daily series, for the whole range otherwise. */
    public static void rows(Report report, CsvWriter w) {
        if (report.series() != null) {
            for (Report.Day day : report.series()) lines(w, day.date(), day.rows(), report.currency());
        } else {
            lines(w, null, report.rows(), report.currency());
        }
    }

    private static void lines(CsvWriter w, LocalDate date, List<Report.Row> rows, String currency) {
        for (Report.Row row : rows) {
            for (Map.Entry<String, Report.Figures> model : row.models().entrySet()) {
                Report.Figures f = model.getValue();
                List<Object> line = new ArrayList<>(9);
                if (date != null) line.add(date.toString());
                line.addAll(List.of(row.group(), model.getKey(), currency));
                line.add(f.conversions());
                line.add(f.revenue());
                line.add(f.cost());
                line.add(f.costPerConversion());
                line.add(f.roas());
                w.row(line);
            }
        }
    }
}
