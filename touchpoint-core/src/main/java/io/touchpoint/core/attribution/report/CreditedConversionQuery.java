package io.touchpoint.core.attribution.report;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The conversions behind one row of an attribution report: those whose day (in the workspace's time zone) is in
 * [{@code from}, {@code to}], of the given event names ({@code null}: every conversion), to which the rule-based
 * {@code model} gives {@code group} (a value of {@code groupBy}, as reports name it) some credit; newest first,
 * {@code limit} at a time from {@code cursor} (null: the first page).
 */
public record CreditedConversionQuery(String workspaceId, LocalDate from, LocalDate to, GroupBy groupBy, String group,
                                      AttributionModel model, List<String> eventNames, int limit, Cursor cursor) {
    public CreditedConversionQuery {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(group, "group");
        if (!model.ruleBased()) throw new IllegalArgumentException("only rule-based models store credits per conversion");
        if (limit < 1) throw new IllegalArgumentException("limit must be positive");
        eventNames = eventNames == null ? null : List.copyOf(eventNames);
    }

    /** Where a page ends: the last conversion's time (epoch milliseconds) and event id, in the page's order. */
    public record Cursor(long convertedAtMillis, String eventId) {
        /** The cursor as an API hands it out. */
        public String wire() {
            return convertedAtMillis + "." + eventId;
        }

        /** A cursor from {@link #wire()}, or null when the text is not one. */
        public static Cursor parse(String s) {
            int dot = s == null ? -1 : s.indexOf('.');
            if (dot < 1 || dot == s.length() - 1) return null;
            try {
                return new Cursor(Long.parseLong(s.substring(0, dot)), s.substring(dot + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
