package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.CreditedConversion;
import io.touchpoint.core.attribution.report.CreditedConversionQuery;
import io.touchpoint.core.store.Page;
import io.touchpoint.core.touchpoint.Channel;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The conversions behind a report row, read from the stored credits (attribution_credits) of the conversions in the
 * range: the credit rows whose touchpoint falls in the row's group are summed per conversion, so the shares add up to
 * what the rollup credits the group. Newest first, a day at a time.
 */
final class CreditedConversionReads {
    private CreditedConversionReads() {
    }

    static Page<CreditedConversion> read(JdbcDatabase db, CreditedConversionQuery q) {
        List<Object> params = new ArrayList<>();
        String inGroup = groupCondition(q.groupBy(), q.group(), params);
        if (inGroup == null || q.eventNames() != null && q.eventNames().isEmpty()) return new Page<>(List.of(), null);
        String credit = "cr." + q.model().wireName(); // a fixed column name from the enum, never user text
        StringBuilder sql = new StringBuilder("SELECT c.event_id, c.event_name, c.converted_at, c.value, c.currency,"
                + " c.canonical_id, SUM(" + credit + ") FROM attribution_conversions c"
                + " JOIN attribution_credits cr ON cr.event_id = c.event_id"
                + " WHERE c.workspace_id = ? AND c.day = ? AND " + credit + " > 0 AND " + inGroup);
        List<Object> rest = new ArrayList<>(params);
        if (q.eventNames() != null) {
            sql.append(" AND c.event_name IN (").append(String.join(", ", Collections.nCopies(q.eventNames().size(), "?"))).append(')');
            rest.addAll(q.eventNames());
        }
        if (q.cursor() != null) {
            sql.append(" AND (c.converted_at < ? OR (c.converted_at = ? AND c.event_id < ?))");
            rest.addAll(List.of(q.cursor().convertedAtMillis(), q.cursor().convertedAtMillis(), q.cursor().eventId()));
        }
        sql.append(" GROUP BY c.event_id, c.event_name, c.converted_at, c.value, c.currency, c.canonical_id"
                + " ORDER BY c.converted_at DESC, c.event_id DESC LIMIT ?");
        // a day's conversions are all later than the day before's: reading the range a day at a time from its end
        // stops at the day that fills the page, instead of joining every conversion of the range to its credits
        List<CreditedConversion> rows = db.read(c -> {
            List<CreditedConversion> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (LocalDate day = q.to(); !day.isBefore(q.from()) && out.size() <= q.limit(); day = day.minusDays(1)) {
                    List<Object> all = new ArrayList<>(List.of(q.workspaceId(), day.toString()));
                    all.addAll(rest);
                    all.add(q.limit() + 1 - out.size()); // one more says whether a next page exists
                    Rows.setParams(ps, all.toArray());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.add(conversion(rs));
                    }
                }
            }
            return out;
        });
        if (rows.size() <= q.limit()) return new Page<>(rows, null);
        CreditedConversion last = rows.get(q.limit() - 1);
        return new Page<>(rows.subList(0, q.limit()),
                new CreditedConversionQuery.Cursor(last.convertedAt().toEpochMilli(), last.eventId()).wire());
    }

    private static CreditedConversion conversion(ResultSet rs) throws SQLException {
        double value = rs.getDouble(4);
        Double v = rs.wasNull() ? null : value;
        String currency = rs.getString(5);
        return new CreditedConversion(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), v,
                currency == null || currency.isEmpty() ? null : currency, rs.getString(6), rs.getDouble(7));
    }

    /**
     * The SQL condition on a credit row (alias cr) that its touchpoint is in the group as {@link GroupBy#of} names it,
     * its parameters added; null when no touchpoint can be in it (a channel or platform that does not exist).
     */
    static String groupCondition(GroupBy groupBy, String group, List<Object> params) {
        boolean notSet = GroupBy.NOT_SET.equals(group);
        switch (groupBy) {
            case CHANNEL -> {
                for (Channel c : Channel.values()) {
                    if (c.label().equals(group)) {
                        params.add(c.wireName());
                        return "cr.channel = ?";
                    }
                }
                return null;
            }
            case PLATFORM -> {
                if (notSet) {
                    params.add(Platform.NONE.wireName());
                    return "cr.platform = ?";
                }
                for (Platform p : Platform.values()) {
                    if (p != Platform.NONE && p.wireName().equals(group)) {
                        params.add(group);
                        return "cr.platform = ?";
                    }
                }
                return null;
            }
            default -> {
                // a fixed column name from the enum, never user text; ad sets and ads are grouped by their platform ids
                String column = switch (groupBy) {
                    case AD_SET -> "cr.ad_set_id";
                    case AD -> "cr.ad_id";
                    default -> "cr." + groupBy.wireName();
                };
                if (notSet) {
                    // an empty field, or one that holds the placeholder itself: both are "(not set)" in reports
                    params.add(GroupBy.NOT_SET);
                    return "(" + column + " IS NULL OR TRIM(" + column + ") = '' OR " + column + " = ?)";
                }
                params.add(group);
                return column + " = ?";
            }
        }
    }
}
