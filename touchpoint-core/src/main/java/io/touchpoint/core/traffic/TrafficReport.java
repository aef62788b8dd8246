package io.touchpoint.core.traffic;

import java.time.LocalDate;
import java.util.List;

/**
 * The traffic overview of a range of days (docs/TRAFFIC.md): totals, one row per day with page views, top landing
 * pages and top sources. Every count of a visit falls on the day the visit began, in the workspace's time zone.
 *
 * @param totals       the range's figures; its visitors are estimated from the days' sketches
 * @param days         every day of the range, the days without a page view included
 * @param landingPages the most visited first pages of visits, most visits first
 * @param sources      the sources visits came from, most visits first
 */
public record TrafficReport(String workspaceId, LocalDate from, LocalDate to, Figures totals, List<Day> days,
                            List<LandingPage> landingPages, List<Source> sources) {
    public TrafficReport {
        days = List.copyOf(days);
        landingPages = List.copyOf(landingPages);
        sources = List.copyOf(sources);
    }

    /**
     * Counts of a day or a range: distinct visitors, visits, page views, and bounces (visits of one page view).
     * Bounce rate and pages per visit have no meaning without a visit: null then.
     */
    public record Figures(long visitors, long visits, long pageViews, long bounces) {
        public Double bounceRate() {
            return visits == 0 ? null : (double) bounces / visits;
        }

        public Double pagesPerVisit() {
            return visits == 0 ? null : (double) pageViews / visits;
        }
    }

    public record Day(LocalDate day, Figures figures) {
    }

    /** A landing page: the URL path a visit began on, without query string or fragment. */
    public record LandingPage(String path, long visits, long bounces) {
    }

    /**
     * A source: the visit's effective source as the channel grouping settled it (UTM source, else the one a click id
     * implies, else the referrer's host), {@code (direct)} when there was none, with its channel.
     */
    public record Source(String source, String channel, long visits) {
    }
}
