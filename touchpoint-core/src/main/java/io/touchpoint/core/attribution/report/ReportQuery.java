package io.touchpoint.core.attribution.report;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What an attribution report asks for: conversions whose day (in the workspace's time zone) is in
 * [{@code from}, {@code to}], of the given event names ({@code null}: every conversion), grouped by one
 * touchpoint field, per model, in total or per day.
 */
public record ReportQuery(String workspaceId, LocalDate from, LocalDate to, GroupBy groupBy,
                          List<AttributionModel> models, List<String> eventNames, boolean daily) {
    public ReportQuery {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(groupBy, "groupBy");
        models = List.copyOf(models);
        eventNames = eventNames == null ? null : List.copyOf(eventNames);
        if (to.isBefore(from)) throw new IllegalArgumentException("to is before from");
    }
}
