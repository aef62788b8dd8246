package io.touchpoint.server.traffic;

import io.touchpoint.core.traffic.TrafficReport;
import io.touchpoint.server.http.CsvWriter;

import java.util.Arrays;
import java.util.List;

/**
 * The traffic report as one CSV, a line per figure set: {@code total}, then each {@code day}, each {@code landing_page}
 * and each {@code source}, the columns that have no meaning for a line left empty.
 */
final class TrafficCsv {
    static final List<String> HEADER = List.of("section", "day", "path", "source", "channel", "visitors", "visits",
            "page_views", "bounces", "bounce_rate", "pages_per_visit");

    private TrafficCsv() {
    }

    static void rows(TrafficReport r, CsvWriter csv) {
        csv.row(figures("total", null, r.totals()));
        for (TrafficReport.Day d : r.days()) csv.row(figures("day", d.day().toString(), d.figures()));
        for (TrafficReport.LandingPage p : r.landingPages()) {
            csv.row(Arrays.asList("landing_page", null, p.path(), null, null, null, p.visits(), null, p.bounces(),
                    p.visits() == 0 ? null : (double) p.bounces() / p.visits(), null));
        }
        for (TrafficReport.Source s : r.sources()) {
            csv.row(Arrays.asList("source", null, null, s.source(), s.channel(), null, s.visits(), null, null, null, null));
        }
    }

    private static List<Object> figures(String section, String day, TrafficReport.Figures f) {
        return Arrays.asList(section, day, null, null, null, f.visitors(), f.visits(), f.pageViews(), f.bounces(),
                f.bounceRate(), f.pagesPerVisit());
    }
}
