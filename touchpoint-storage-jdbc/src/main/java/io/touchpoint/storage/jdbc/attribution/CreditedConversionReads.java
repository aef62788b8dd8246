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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversions behind a report row, read from the stored credits (attribution_credits) of the conversions in the
 * range: the credit rows whose touchpoint falls in the row's group are summed per conversion, so the shares add up to
 * what the rollup credits the group. Newest first, a day at a time.
 */
final class CreditedConversionReads {
    private CreditedConversionReads() {
    }

    static Page<CreditedConversion> read(JdbcDatabase db, CreditedConversionQuery q) {
        List<Object> groupParams = new ArrayList<>();
        String inGroup = groupCondition(q.groupBy(), q.group(), groupParams);
        if (inGroup == null || q.eventNames() != null && q.eventNames().isEmpty()) return new Page<>(List.of(), null);
        String credit = "cr." + q.model().wireName(); // a fixed column name from the enum, never user text
        StringBuilder conversions = new StringBuilder("SELECT c.event_id, c.event_name, c.converted_at, c.value, c.currency,"
                + " c.canonical_id FROM attribution_conversions c WHERE c.workspace_id = ? AND c.day = ?");
        List<Object> conversionParams = new ArrayList<>();
        if (q.eventNames() != null) {
            conversions.append(" AND c.event_name IN (").append(String.join(", ", Collections.nCopies(q.eventNames().size(), "?")))
                    .append(')');
            conversionParams.addAll(q.eventNames());
        }
        if (q.cursor() != null) {
            conversions.append(" AND (c.converted_at < ? OR (c.converted_at = ? AND c.event_id < ?))");
            conversionParams.addAll(List.of(q.cursor().convertedAtMillis(), q.cursor().convertedAtMillis(), q.cursor().eventId()));
        }
        conversions.append(" ORDER BY c.converted_at DESC, c.event_id DESC");
        String credits = "SELECT cr.event_id, SUM(" + credit + ") FROM attribution_credits cr WHERE cr.event_id IN ("
                + String.join(", ", Collections.nCopies(BATCH, "?")) + ") AND " + credit + " > 0 AND " + inGroup
                + " GROUP BY cr.event_id";
        // a day's conversions are all later than the day before's: reading the range a day at a time from its end, and
        // a day's conversions' credits a batch at a time, stops once the page is full (one more says whether a next
        // page exists) instead of joining every conversion of the range to its credits
        List<CreditedConversion> rows = db.read(c -> {
            List<CreditedConversion> out = new ArrayList<>();
            try (PreparedStatement byDay = c.prepareStatement(conversions.toString());
                 PreparedStatement shares = c.prepareStatement(credits)) {
                for (LocalDate day = q.to(); !day.isBefore(q.from()) && out.size() <= q.limit(); day = day.minusDays(1)) {
                    List<Object> params = new ArrayList<>(List.of(q.workspaceId(), day.toString()));
                    params.addAll(conversionParams);
                    Rows.setParams(byDay, params.toArray());
                    List<CreditedConversion> ofDay = new ArrayList<>();
                    try (ResultSet rs = byDay.executeQuery()) {
                        while (rs.next()) ofDay.add(conversion(rs));
                    }
                    for (int i = 0; i < ofDay.size() && out.size() <= q.limit(); i += BATCH) {
                        List<CreditedConversion> batch = ofDay.subList(i, Math.min(ofDay.size(), i + BATCH));
                        Map<String, Double> shareOf = shares(shares, batch, groupParams);
                        for (CreditedConversion conv : batch) {
                            Double share = shareOf.get(conv.eventId());
                            if (share == null) continue;
                            out.add(new CreditedConversion(conv.eventId(), conv.eventName(), conv.convertedAt(), conv.value(),
                                    conv.currency(), conv.profileId(), share));
                            if (out.size() > q.limit()) break;
                        }
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

    /** Conversions whose credits are looked up in one statement; a short batch repeats its last id. */
    private static final int BATCH = 200;

    /** The batch's conversions' summed credits in the group, for those the group has any of. */
    private static Map<String, Double> shares(PreparedStatement ps, List<CreditedConversion> batch, List<Object> groupParams)
            throws SQLException {
        List<Object> params = new ArrayList<>(BATCH + groupParams.size());
        for (int k = 0; k < BATCH; k++) params.add(batch.get(Math.min(k, batch.size() - 1)).eventId());
        params.addAll(groupParams);
        Rows.setParams(ps, params.toArray());
        Map<String, Double> out = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), rs.getDouble(2));
        }
        return out;
    }

    /** A conversion row, its credit not read yet. */
    private static CreditedConversion conversion(ResultSet rs) throws SQLException {
        double value = rs.getDouble(4);
        Double v = rs.wasNull() ? null : value;
        String currency = rs.getString(5);
        return new CreditedConversion(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), v,
                currency == null || currency.isEmpty() ? null : currency, rs.getString(6), 0);
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
