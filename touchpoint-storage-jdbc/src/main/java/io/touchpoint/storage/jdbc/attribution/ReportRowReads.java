package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.engine.ReportRows;
import io.touchpoint.core.touchpoint.Touchpoint;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.storage.jdbc.ledger.ProfilePaths;
import io.touchpoint.storage.jdbc.ledger.StoredTouchRows;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The report engine's rows, read in one snapshot with the data version they are as of: a whole workspace (its shapes,
 * each profile's path from attribution_profile_paths, its conversions from the covering day index, no sort), or only
 * the days whose data changed after a version (attribution_changes), those days' touchpoints found by their start
 * time (on an index of "workspace_id || ''" and started_at, which no other statement names) and their conversions by
 * day.
 */
final class ReportRowReads {
    private static final int FETCH = 10_000;

    private ReportRowReads() {
    }

    static long read(JdbcDatabase db, String ws, long afterVersion, Function<Set<LocalDate>, ReportRows> sinkFor) {
        return db.read(c -> ReportReads.inOneSnapshot(c, () -> {
            long version;
            Set<LocalDate> days = null;
            ZoneId zone;
            try (StatementCache st = new StatementCache(c)) {
                version = st.list("SELECT data_version FROM attribution_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0);
                zone = AttributionLedger.zone(st, ws);
                if (afterVersion >= 0) {
                    days = new TreeSet<>(st.list("SELECT day FROM attribution_changes WHERE workspace_id = ? AND version > ?",
                            rs -> LocalDate.parse(rs.getString(1)), ws, afterVersion));
                    if (days.isEmpty()) return version;
                }
            }
            ReportRows sink = sinkFor.apply(days);
            Map<List<String>, Long> shapes = shapes(c, ws, sink);
            if (days == null) {
                paths(c, ws, sink);
                conversions(c, ws, null, sink);
            } else {
                for (LocalDate d : days) {
                    touchpoints(c, ws, d.atStartOfDay(zone).toInstant().toEpochMilli(),
                            d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli(), shapes, sink);
                    conversions(c, ws, d, sink);
                }
            }
            return version;
        }));
    }

    private static Map<List<String>, Long> shapes(Connection c, String ws, ReportRows sink) throws SQLException {
        Map<List<String>, Long> ids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, " + String.join(", ", java.util.Arrays.stream(GroupBy.values())
                .map(GroupBy::column).toList()) + " FROM attribution_touch_shapes WHERE workspace_id = ?")) {
            ps.setString(1, ws);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>(GroupBy.values().length);
                    for (int i = 0; i < GroupBy.values().length; i++) values.add(rs.getString(i + 2));
                    ids.put(values, rs.getLong(1));
                    sink.shape(rs.getLong(1), values);
                }
            }
        }
        return ids;
    }

    private static void paths(Connection c, String ws, ReportRows sink) throws SQLException {
        // "workspace_id || ''" keeps the planners off the (workspace, canonical id) index, as JourneyReader explains
        try (PreparedStatement ps = c.prepareStatement("SELECT canonical_id, path FROM attribution_profile_paths"
                + " WHERE workspace_id || '' = ?")) {
            ps.setFetchSize(FETCH);
            ps.setString(1, ws);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String profile = rs.getString(1);
                    long[] path = ProfilePaths.parse(rs.getString(2));
                    for (int i = 0; i + 2 < path.length; i += 3) sink.touch(profile, path[i], path[i + 1], path[i + 2]);
                }
            }
        }
    }

    /** A day's touchpoints; one whose shape is not stored yet (none should be) gets a number of its own below 0. */
    private static void touchpoints(Connection c, String ws, long from, long to, Map<List<String>, Long> shapes,
                                    ReportRows sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, canonical_id, started_at, " + StoredTouchRows.COLUMNS
                + " FROM attribution_touchpoints WHERE workspace_id || '' = ? AND started_at >= ? AND started_at < ?")) {
            ps.setFetchSize(FETCH);
            ps.setString(1, ws);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Touchpoint t = StoredTouchRows.touchpoint(rs, null);
                    List<String> values = new ArrayList<>(GroupBy.values().length);
                    for (GroupBy g : GroupBy.values()) values.add(g.of(t));
                    Long shape = shapes.get(values);
                    if (shape == null) {
                        shape = -1L - shapes.size();
                        shapes.put(values, shape);
                        sink.shape(shape, values);
                    }
                    sink.touch(rs.getString("canonical_id"), rs.getLong("started_at"), rs.getLong("id"), shape);
                }
            }
        }
    }

    private static void conversions(Connection c, String ws, LocalDate day, ReportRows sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT canonical_id, converted_at, day, event_name, value, currency"
                + " FROM attribution_conversions WHERE workspace_id = ?" + (day == null ? "" : " AND day = ?"))) {
            ps.setFetchSize(FETCH);
            ps.setString(1, ws);
            if (day != null) ps.setString(2, day.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(5);
                    Double value = rs.wasNull() ? null : v;
                    sink.conversion(rs.getString(1), rs.getLong(2), LocalDate.parse(rs.getString(3)), rs.getString(4),
                            value, rs.getString(6));
                }
            }
        }
    }
}
