package io.touchpoint.server.attribution;

import io.touchpoint.server.http.CsvWriter;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An attribution report as CSV: one line per group and model (and day, for the daily variant), from the same rows as
 * its JSON, with a count and a revenue column per event asked for ({@code events=…}), an average column per field
 * asked for ({@code average=…}) and, when rows are ads or ad sets,
 * their platform ids, names and the platform's own figures; the writer keeps group names a spreadsheet would run as
 * formulas as text.
 */
public final class ReportCsv {
    private static final List<String> COLUMNS = List.of("group", "model", "currency", "conversions", "revenue", "cost",
            "cost_per_conversion", "roas");
    private static final List<String> AD_COLUMNS = List.of("platform", "campaign_id", "campaign", "ad_set_id", "ad_set",
            "ad_id", "ad", "impressions", "clicks", "platform_conversions", "platform_conversion_value");

    private ReportCsv() {
    }

    /** The columns: {@code date} first when the report has its daily series; then the event and ad columns it has. */
    public static List<String> header(Report report) {
        List<String> header = new ArrayList<>();
        if (report.series() != null) header.add("date");
        header.addAll(COLUMNS);
        if (report.series() != null) return header; // the daily series carries the models' figures only
        for (String e : events(report.rows())) {
            header.add(e + "_conversions");
            header.add(e + "_revenue");
        }
        for (String f : averages(report.rows())) header.add(f + "_average");
        if (hasAds(report.rows())) header.addAll(AD_COLUMNS);
        return header;
    }

    /** Per day when the report has its daily series, for the whole range otherwise. */
    public static void rows(Report report, CsvWriter w) {
        if (report.series() != null) {
            for (Report.Day day : report.series()) lines(w, day.date(), day.rows(), report.currency(), List.of(), List.of(), false);
        } else {
            lines(w, null, report.rows(), report.currency(), events(report.rows()), averages(report.rows()), hasAds(report.rows()));
        }
    }

    /** The events columns of the rows ({@code events=…}), in their order. */
    private static List<String> events(List<Report.Row> rows) {
        for (Report.Row r : rows) {
            for (Report.Figures f : r.models().values()) if (f.events() != null) return List.copyOf(f.events().keySet());
        }
        return List.of();
    }

    /** The average columns of the rows ({@code average=…}), in their order. */
    private static List<String> averages(List<Report.Row> rows) {
        for (Report.Row r : rows) {
            for (Report.Figures f : r.models().values()) if (f.averages() != null) return List.copyOf(f.averages().keySet());
        }
        return List.of();
    }

    private static boolean hasAds(List<Report.Row> rows) {
        return rows.stream().anyMatch(r -> r.ad() != null);
    }

    private static void lines(CsvWriter w, LocalDate date, List<Report.Row> rows, String currency, List<String> events,
                              List<String> averages, boolean ads) {
        for (Report.Row row : rows) {
            for (Map.Entry<String, Report.Figures> model : row.models().entrySet()) {
                Report.Figures f = model.getValue();
                List<Object> line = new ArrayList<>();
                if (date != null) line.add(date.toString());
                line.addAll(List.of(row.group(), model.getKey(), currency));
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
                for (String a : averages) line.add(f.averages() == null ? null : f.averages().get(a));
                if (ads) adCells(line, row.ad());
                w.row(line);
            }
        }
    }

    private static void adCells(List<Object> line, Report.AdLine a) {
        if (a == null) {
            for (int i = 0; i < AD_COLUMNS.size(); i++) line.add(null);
            return;
        }
        line.addAll(java.util.Arrays.asList(a.platform(), a.campaignId(), a.campaign(), a.adSetId(), a.adSet(), a.adId(),
                a.ad(), a.impressions(), a.clicks(), a.platformConversions(), a.platformConversionValue()));
    }
}
