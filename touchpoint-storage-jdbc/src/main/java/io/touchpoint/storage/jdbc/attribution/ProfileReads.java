package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.storage.jdbc.ledger.Conversion;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the attribution rows of many profiles at once for an {@link AttributionBatch}: a batch recomputes the credits
 * of every profile its events, merges and settings changes touched, and reads their conversions and touchpoints in a
 * few statements rather than a profile at a time.
 */
final class ProfileReads {
    /** Profiles read at once: below both databases' parameter limits. */
    private static final int PROFILES_PER_READ = 500;
    private final JdbcDatabase db;
    private final Connection c;

    /** A canonical profile of a workspace. */
    record Key(String workspaceId, String canonicalId) {
    }

    ProfileReads(JdbcDatabase db, Connection c) {
        this.db = db;
        this.c = c;
    }

    /**
     * The touchpoints that can be on these conversions' paths start in this window: a person with years of visits
     * costs a new conversion its lookback window, not the whole history.
     */
    static long[] window(AttributionSettings s, List<Conversion> conversions) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Conversion conv : conversions) {
            from = Math.min(from, conv.at().minus(s.lookback()).toEpochMilli());
            to = Math.max(to, conv.at().toEpochMilli());
        }
        return new long[]{from, to};
    }

    /**
     * The rows of {@code table} of these profiles, by profile, in a few statements: each profile's rows started in its
     * window when {@code windows} has one (a statement reads the span of its profiles' windows, and each profile keeps
     * the rows of its own).
     */
    <T> Map<Key, List<T>> of(List<Key> keys, String table, String columns, Map<Key, long[]> windows, Sql.RowMapper<T> mapper)
            throws SQLException {
        Map<String, List<String>> byWorkspace = new LinkedHashMap<>();
        for (Key p : keys) byWorkspace.computeIfAbsent(p.workspaceId(), w -> new ArrayList<>()).add(p.canonicalId());
        boolean windowed = !windows.isEmpty();
        Map<Key, List<T>> out = new HashMap<>();
        for (Map.Entry<String, List<String>> ws : byWorkspace.entrySet()) {
            List<String> all = ws.getValue();
            for (int i = 0; i < all.size(); i += PROFILES_PER_READ) {
                List<String> chunk = all.subList(i, Math.min(all.size(), i + PROFILES_PER_READ));
                long from = Long.MAX_VALUE;
                long to = Long.MIN_VALUE;
                for (String canonical : chunk) {
                    long[] w = windows.get(new Key(ws.getKey(), canonical));
                    if (w != null) {
                        from = Math.min(from, w[0]);
                        to = Math.max(to, w[1]);
                    }
                }
                try (PreparedStatement ps = windowed
                        ? db.dialect().ofProfiles(c, table, columns, ws.getKey(), chunk, "AND started_at >= ? AND started_at <= ?", from, to)
                        : db.dialect().ofProfiles(c, table, columns, ws.getKey(), chunk, "");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Key p = new Key(ws.getKey(), rs.getString("canonical_id"));
                        if (windowed) {
                            long[] w = windows.get(p);
                            long started = rs.getLong("started_at");
                            if (started < w[0] || started > w[1]) continue;
                        }
                        out.computeIfAbsent(p, k -> new ArrayList<>()).add(mapper.map(rs));
                    }
                }
            }
        }
        return out;
    }
}
