package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.touchpoint.core.attribution.paths.PathTally;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The conversion paths report as it is answered: the most common paths of the range, most conversions first, each
 * a sequence of the grouping's values with consecutive repeats collapsed ({@code repeats_collapsed}), and the stored
 * run it was read from.
 *
 * @param conversions    every conversion of the range, in listed paths or not
 * @param distinctPaths  how many different paths they took (at most the stored ones are listed)
 */
public record PathsReport(@JsonProperty("workspace_id") String workspaceId, LocalDate from, LocalDate to,
                          @JsonProperty("group_by") String groupBy, String currency,
                          @JsonProperty("event_names") List<String> eventNames,
                          @JsonProperty("repeats_collapsed") boolean repeatsCollapsed, long conversions,
                          @JsonProperty("distinct_paths") int distinctPaths, List<Row> paths, Computed run) {

    /**
     * One path: its steps, whether it stands for conversions without any touchpoint in their window, its conversions
     * and their revenue (the workspace's currency; others apart), average days from first touchpoint to conversion
     * and average touchpoints (counted before collapsing repeats).
     */
    public record Row(List<String> path, @JsonProperty("without_touchpoints") boolean withoutTouchpoints,
                      long conversions, double revenue,
                      @JsonProperty("revenue_other_currencies") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                      Map<String, Double> revenueOtherCurrencies,
                      @JsonProperty("average_days_to_convert") double averageDaysToConvert,
                      @JsonProperty("average_touches") double averageTouches) {
        static Row of(PathTally.Path p) {
            Map<String, Double> other = new java.util.TreeMap<>(p.revenueOtherCurrencies());
            other.replaceAll((c, v) -> ReportView.round(v));
            return new Row(p.steps(), p.withoutTouchpoints(), p.conversions(), ReportView.round(p.revenue()), other,
                    hundredths(p.averageDays()), hundredths(p.averageTouches()));
        }

        private static double hundredths(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }

    /** When the paths were computed (null: not yet), whether data of the range changed since, and whether they are being recomputed. */
    public record Computed(@JsonProperty("computed_at") Instant computedAt, boolean stale, boolean recomputing) {
    }
}
