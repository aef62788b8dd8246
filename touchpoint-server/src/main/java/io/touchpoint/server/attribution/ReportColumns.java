package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.server.http.ApiException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The columns a report is shaped with, as marketers build them by hand (docs/ATTRIBUTION.md, *Columns*): one credited
 * count and revenue per event name ({@code events=A,B}), the event whose figures drive cost per conversion and ROAS
 * ({@code value_event=E}), credit-weighted averages of numeric custom_data fields ({@code average=F,G}), the sort
 * ({@code sort=[model.]column[:asc|desc]}) and leaving out rows without a credited conversion ({@code hide_empty=true}).
 *
 * @param sortModel null: the report's first model
 * @param sortColumn null: the report's own order (conversions under the first model, most first)
 */
record ReportColumns(List<String> events, String valueEvent, List<String> averages, AttributionModel sortModel,
                     String sortColumn, boolean descending, boolean hideEmpty) {
    static final ReportColumns NONE = new ReportColumns(List.of(), null, List.of(), null, null, true, false);
    /** Fields one report averages at most: each is a read of every conversion's event the first time it is asked for. */
    static final int MAX_AVERAGES = 5;
    /** A custom_data field name as {@code average=} takes it: no dots or commas, which the sort and the list use. */
    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final List<String> FIGURES = List.of("conversions", "revenue", "cost", "cost_per_conversion", "roas");

    /** The events whose columns the report computes: the asked ones and the value event. */
    Set<String> eventsToCount() {
        Set<String> out = new LinkedHashSet<>(events);
        if (valueEvent != null) out.add(valueEvent);
        return out;
    }

    static ReportColumns of(UnaryOperator<String> param, ReportQuery q) {
        List<String> events = new ArrayList<>();
        String e = param.apply("events");
        if (e != null && !e.isBlank()) {
            for (String name : e.split(",")) {
                if (!EventNames.isCanonical(name.strip())) throw ApiException.invalidParameter("events", "'" + name.strip() + "' is not an event name");
                if (!events.contains(name.strip())) events.add(name.strip());
            }
        }
        String valueEvent = param.apply("value_event");
        if (valueEvent != null && (valueEvent.isBlank() || !EventNames.isCanonical(valueEvent.strip()))) {
            throw ApiException.invalidParameter("value_event", "value_event must be an event name");
        }
        List<String> averages = averages(param.apply("average"));
        String h = param.apply("hide_empty");
        if (h != null && !h.equals("true") && !h.equals("false")) throw ApiException.invalidParameter("hide_empty", "hide_empty must be true or false");
        AttributionModel sortModel = null;
        String sortColumn = null;
        boolean descending = true;
        String sort = param.apply("sort");
        if (sort != null && !sort.isBlank()) {
            String s = sort.strip();
            int colon = s.lastIndexOf(':');
            if (colon >= 0) {
                String dir = s.substring(colon + 1);
                if (!dir.equals("asc") && !dir.equals("desc")) throw ApiException.invalidParameter("sort", "a sort's direction is asc or desc");
                descending = dir.equals("desc");
                s = s.substring(0, colon);
            }
            int dot = s.indexOf('.');
            if (dot > 0 && AttributionModel.fromWireName(s.substring(0, dot)).isPresent()) {
                sortModel = AttributionModel.fromWireName(s.substring(0, dot)).get();
                if (!q.models().contains(sortModel)) throw ApiException.invalidParameter("sort", "the report has no model " + sortModel.wireName());
                s = s.substring(dot + 1);
            }
            boolean eventColumn = s.endsWith(".conversions") && events.contains(s.substring(0, s.length() - 12))
                    || s.endsWith(".revenue") && events.contains(s.substring(0, s.length() - 8))
                    || s.endsWith(".average") && averages.contains(s.substring(0, s.length() - 8));
            if (!s.equals("group") && !FIGURES.contains(s) && !eventColumn) {
                throw ApiException.invalidParameter("sort", "sort by group, [model.]conversions, revenue, cost, cost_per_conversion,"
                        + " roas, [model.]<event>.conversions / <event>.revenue of an events column or <field>.average of an"
                        + " average, then :asc or :desc");
            }
            sortColumn = s;
        }
        return new ReportColumns(List.copyOf(events), valueEvent == null ? null : valueEvent.strip(), averages, sortModel,
                sortColumn, descending, "true".equals(h));
    }

    /** The {@code average} parameter: at most {@link #MAX_AVERAGES} field names, each once. */
    private static List<String> averages(String a) {
        List<String> out = new ArrayList<>();
        if (a == null || a.isBlank()) return out;
        for (String name : a.split(",")) {
            String f = name.strip();
            if (!FIELD.matcher(f).matches()) {
                throw ApiException.invalidParameter("average", "'" + f + "' is not a custom_data field name: 1 to 64 letters,"
                        + " digits, _ or -");
            }
            if (!out.contains(f)) out.add(f);
        }
        if (out.size() > MAX_AVERAGES) {
            throw ApiException.invalidParameter("average", "a report averages at most " + MAX_AVERAGES + " fields");
        }
        return List.copyOf(out);
    }

    /**
     * The rows with the events' figures and, with a value event, cost per conversion and ROAS on it; then without empty
     * rows if asked, then sorted. {@code byEvent}: each counted event's credit cells (whole range) from the engine;
     * {@code averaged}: group → model → field → average (null: no credited conversion carries it).
     */
    List<Report.Row> apply(List<Report.Row> rows, Map<String, List<CreditCell>> byEvent,
                           Map<String, Map<String, Map<String, Double>>> averaged, String currency) {
        Map<String, Map<String, Map<String, double[]>>> sums = new HashMap<>(); // event → group → model → [conv, rev]
        byEvent.forEach((event, cells) -> {
            for (CreditCell c : cells) {
                double[] s = sums.computeIfAbsent(event, x -> new HashMap<>()).computeIfAbsent(c.group(), x -> new HashMap<>())
                        .computeIfAbsent(c.model().wireName(), x -> new double[2]);
                s[0] += c.conversions();
                if (currency.equals(c.currency())) s[1] += c.revenue();
            }
        });
        List<Report.Row> out = new ArrayList<>(rows.size());
        for (Report.Row row : rows) {
            Map<String, Report.Figures> models = new LinkedHashMap<>();
            row.models().forEach((model, f) -> {
                Map<String, Report.EventFigures> columns = events.isEmpty() ? null : new LinkedHashMap<>();
                for (String event : events) {
                    double[] s = figures(sums, event, row.group(), model);
                    columns.put(event, new Report.EventFigures(ReportView.round(s[0]), ReportView.round(s[1])));
                }
                double[] ratio = valueEvent == null ? new double[]{f.conversions(), f.revenue()} : figures(sums, valueEvent, row.group(), model);
                boolean reshaped = !events.isEmpty() || valueEvent != null;
                Report.Figures shaped = reshaped ? Report.Figures.of(f.conversions(), f.revenue(), f.cost(), ratio[0], ratio[1], columns) : f;
                if (!averages.isEmpty()) {
                    Map<String, Double> of = averaged.getOrDefault(row.group(), Map.of()).getOrDefault(model, Map.of());
                    Map<String, Double> cells = new LinkedHashMap<>();
                    for (String field : averages) cells.put(field, of.get(field) == null ? null : ReportView.round(of.get(field)));
                    shaped = shaped.withAverages(cells);
                }
                models.put(model, shaped);
            });
            Report.Row shaped = new Report.Row(row.group(), models, row.ad());
            if (!hideEmpty || models.values().stream().anyMatch(f -> f.conversions() != 0
                    || f.events() != null && f.events().values().stream().anyMatch(x -> x.conversions() != 0))) {
                out.add(shaped);
            }
        }
        if (sortColumn != null) out.sort(order(out));
        return out;
    }

    private static double[] figures(Map<String, Map<String, Map<String, double[]>>> sums, String event, String group, String model) {
        return sums.getOrDefault(event, Map.of()).getOrDefault(group, Map.of()).getOrDefault(model, new double[2]);
    }

    /** Rows by the sort column (nulls last whichever the direction), then by group. */
    private Comparator<Report.Row> order(List<Report.Row> rows) {
        if (sortColumn.equals("group")) {
            Comparator<Report.Row> byGroup = Comparator.comparing(Report.Row::group);
            return descending ? byGroup.reversed() : byGroup;
        }
        String model = sortModel != null ? sortModel.wireName() : rows.isEmpty() ? null : rows.get(0).models().keySet().iterator().next();
        Comparator<Double> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.comparing((Report.Row r) -> value(r, model), Comparator.nullsLast(values))
                .thenComparing(Report.Row::group);
    }

    private Double value(Report.Row row, String model) {
        Report.Figures f = row.models().get(model);
        if (f == null) return null;
        return switch (sortColumn) {
            case "conversions" -> f.conversions();
            case "revenue" -> f.revenue();
            case "cost" -> f.cost();
            case "cost_per_conversion" -> f.costPerConversion();
            case "roas" -> f.roas();
            default -> {
                if (sortColumn.endsWith(".average")) {
                    yield f.averages() == null ? null : f.averages().get(sortColumn.substring(0, sortColumn.length() - 8));
                }
                boolean count = sortColumn.endsWith(".conversions");
                String event = sortColumn.substring(0, sortColumn.lastIndexOf('.'));
                Report.EventFigures e = f.events() == null ? null : f.events().get(event);
                yield e == null ? null : count ? e.conversions() : e.revenue();
            }
        };
    }
}
