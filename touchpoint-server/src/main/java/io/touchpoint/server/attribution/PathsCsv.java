package io.touchpoint.server.attribution;

import io.touchpoint.server.http.CsvWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conversion paths report as CSV: one line per listed path, from the same rows as its JSON. The steps are one
 * cell joined with {@code " > "} (a path's length varies, so columns per step would not line up), revenue in other
 * currencies one cell such as {@code EUR 12.5; GBP 3.0}.
 */
final class PathsCsv {
    static final List<String> HEADER = List.of("path", "steps", "without_touchpoints", "conversions", "currency", "revenue",
            "revenue_other_currencies", "average_days_to_convert", "average_touches");

    private PathsCsv() {
    }

    static void rows(PathsReport report, CsvWriter w) {
        for (PathsReport.Row p : report.paths()) {
            List<Object> line = new ArrayList<>();
            line.add(String.join(" > ", p.path()));
            line.add(p.path().size());
            line.add(p.withoutTouchpoints());
            line.add(p.conversions());
            line.add(report.currency());
            line.add(p.revenue());
            List<String> other = new ArrayList<>();
            for (Map.Entry<String, Double> e : p.revenueOtherCurrencies().entrySet()) other.add(e.getKey() + " " + e.getValue());
            line.add(other.isEmpty() ? null : String.join("; ", other));
            line.add(p.averageDaysToConvert());
            line.add(p.averageTouches());
            w.row(line);
        }
    }
}
