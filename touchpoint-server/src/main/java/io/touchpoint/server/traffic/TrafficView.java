package io.touchpoint.server.traffic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.touchpoint.core.traffic.TrafficReport;

import java.time.LocalDate;
import java.util.List;

/** The traffic report as the API answers it; a rate without a visit to divide by is null. */
record TrafficView(@JsonProperty("workspace_id") String workspaceId, LocalDate from, LocalDate to, Figures totals,
                   List<Day> days, @JsonProperty("landing_pages") List<Page> landingPages, List<Source> sources) {

    static TrafficView of(TrafficReport r) {
        return new TrafficView(r.workspaceId(), r.from(), r.to(), Figures.of(r.totals()),
                r.days().stream().map(Day::of).toList(),
                r.landingPages().stream().map(p -> new Page(p.path(), p.visits(), p.bounces(),
                        p.visits() == 0 ? null : (double) p.bounces() / p.visits())).toList(),
                r.sources().stream().map(s -> new Source(s.source(), s.channel(), s.visits())).toList());
    }

    record Figures(long visitors, long visits, @JsonProperty("page_views") long pageViews, long bounces,
                   @JsonProperty("bounce_rate") Double bounceRate, @JsonProperty("pages_per_visit") Double pagesPerVisit) {
        static Figures of(TrafficReport.Figures f) {
            return new Figures(f.visitors(), f.visits(), f.pageViews(), f.bounces(), f.bounceRate(), f.pagesPerVisit());
        }
    }

    /** A day's figures beside its date, flat as a chart's point. */
    record Day(LocalDate day, long visitors, long visits, @JsonProperty("page_views") long pageViews, long bounces,
               @JsonProperty("bounce_rate") Double bounceRate, @JsonProperty("pages_per_visit") Double pagesPerVisit) {
        static Day of(TrafficReport.Day d) {
            TrafficReport.Figures f = d.figures();
            return new Day(d.day(), f.visitors(), f.visits(), f.pageViews(), f.bounces(), f.bounceRate(), f.pagesPerVisit());
        }
    }

    record Page(String path, long visits, long bounces, @JsonProperty("bounce_rate") Double bounceRate) {
    }

    record Source(String source, String channel, long visits) {
    }
}
