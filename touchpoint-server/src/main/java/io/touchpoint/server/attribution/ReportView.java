package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.GroupCredit;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of an attribution report: per group, per model, credited conversions and revenue (in the workspace's
 * currency), with cost, cost per conversion and ROAS where spend is known for the group. Figures are rounded to
 * six decimals so that sums of shares such as thirds read cleanly.
 */
final class ReportView {
    private ReportView() {
    }

    static double round(double v) {
        double r = Math.round(v * 1e6) / 1e6;
        return r == 0 ? 0 : r; // no -0.0
    }

    /**
     * A row per group with each model's figures, from stored rule-based cells (one day's or the whole range's) and
     * data-driven credits; groups by their conversions under the first model, most first. Revenue counts values in
     * {@code currency} only; conversions count every currency.
     */
    static List<Report.Row> rows(List<AttributionModel> models, List<CreditCell> cells,
                                 Map<AttributionModel, Map<String, GroupCredit>> dataDriven, String currency,
                                 Map<String, Double> spend) {
        Map<String, Map<AttributionModel, double[]>> sums = new HashMap<>();
        for (CreditCell c : cells) {
            double[] s = sums.computeIfAbsent(c.group(), g -> new HashMap<>()).computeIfAbsent(c.model(), m -> new double[2]);
            s[0] += c.conversions();
            if (currency.equals(c.currency())) s[1] += c.revenue();
        }
        if (dataDriven != null) {
            dataDriven.forEach((model, groups) -> {
                if (!models.contains(model)) return;
                groups.forEach((g, credit) -> {
                    double[] s = sums.computeIfAbsent(g, x -> new HashMap<>()).computeIfAbsent(model, m -> new double[2]);
                    s[0] += credit.conversions();
                    s[1] += credit.value();
                });
            });
        }
        // a campaign that spent without converting is a row too: that is what cost reports are for
        if (spend != null) spend.forEach((g, cost) -> { if (cost > 0) sums.computeIfAbsent(g, x -> new HashMap<>()); });
        AttributionModel first = models.get(0);
        List<String> groups = new ArrayList<>(sums.keySet());
        groups.removeIf(g -> (spend == null || spend.getOrDefault(g, 0.0) <= 0)
                && sums.get(g).values().stream().allMatch(s -> Math.abs(s[0]) < 1e-9 && Math.abs(s[1]) < 1e-9));
        groups.sort(Comparator.comparingDouble((String g) -> -sums.get(g).getOrDefault(first, new double[2])[0])
                .thenComparing(Comparator.naturalOrder()));
        List<Report.Row> rows = new ArrayList<>(groups.size());
        for (String g : groups) {
            Map<String, Report.Figures> byModel = new LinkedHashMap<>();
            Double cost = spend == null ? null : spend.getOrDefault(g, 0.0);
            for (AttributionModel m : models) {
                double[] s = sums.get(g).getOrDefault(m, new double[2]);
                byModel.put(m.wireName(), Report.Figures.of(s[0], s[1], cost));
            }
            rows.add(new Report.Row(g, byModel));
        }
        return rows;
    }

    /** Totals the rows reconcile with: conversions of every currency, revenue in the workspace's, the rest apart. */
    static Report.Totals totals(List<ConversionTotal> totals, String currency) {
        long conversions = 0;
        double revenue = 0;
        Map<String, Double> other = new TreeMap<>();
        for (ConversionTotal t : totals) {
            conversions += t.conversions();
            if (currency.equals(t.currency())) revenue += t.value();
            else if (!t.currency().isEmpty()) other.merge(t.currency(), t.value(), Double::sum);
        }
        other.replaceAll((c, v) -> round(v));
        return new Report.Totals(conversions, round(revenue), other.isEmpty() ? null : other);
    }

    static Map<LocalDate, List<ConversionTotal>> byDay(List<ConversionTotal> totals) {
        Map<LocalDate, List<ConversionTotal>> out = new TreeMap<>();
        for (ConversionTotal t : totals) out.computeIfAbsent(t.day(), d -> new ArrayList<>()).add(t);
        return out;
    }
}
