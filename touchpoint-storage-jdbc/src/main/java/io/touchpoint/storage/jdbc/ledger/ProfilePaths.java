package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.touchpoint.Touchpoint;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * attribution_profile_paths and attribution_touch_shapes: each profile's touchpoints as one text of
 * {@code started_at:id:shape} entries in (time, id) order, a shape being the numbered group values of a kind of
 * touchpoint. The attribution stage adds an entry with every touchpoint it stores and erasure takes them out;
 * canonical ids follow merges like the other attribution tables. The data-driven models read these rows, one per
 * profile, instead of every touchpoint.
 */
public final class ProfilePaths {
    private static final String GROUP_COLUMNS = String.join(", ", java.util.Arrays.stream(GroupBy.values()).map(GroupBy::column).toList());

    private ProfilePaths() {
    }

    /** The number of the touchpoint's shape in the workspace, made on first sight; {@code cache} spans a batch. */
    public static long shape(StatementCache st, Map<List<String>, Long> cache, String ws, Touchpoint t) throws SQLException {
        List<String> key = new ArrayList<>(8);
        key.add(ws);
        for (GroupBy g : GroupBy.values()) key.add(g.of(t));
        Long cached = cache.get(key);
        if (cached != null) return cached;
        String where = " WHERE workspace_id = ?" + String.join("", java.util.Arrays.stream(GroupBy.values())
                .map(g -> " AND " + g.column() + " = ?").toList());
        List<Long> found = st.list("SELECT id FROM attribution_touch_shapes" + where, rs -> rs.getLong(1), key.toArray());
        if (found.isEmpty()) {
            st.update("INSERT INTO attribution_touch_shapes (workspace_id, " + GROUP_COLUMNS + ") VALUES (?, "
                    + String.join(", ", java.util.Collections.nCopies(GroupBy.values().length, "?")) + ")", key.toArray());
            found = st.list("SELECT id FROM attribution_touch_shapes" + where, rs -> rs.getLong(1), key.toArray());
        }
        cache.put(key, found.get(0));
        return found.get(0);
    }

    /** Adds a touchpoint to its profile's path, in its place by time and id. */
    public static void add(StatementCache st, String ws, String profileId, String canonicalId, long startedAt, long id, long shape)
            throws SQLException {
        List<String> stored = st.list("SELECT path FROM attribution_profile_paths WHERE workspace_id = ? AND profile_id = ?",
                rs -> rs.getString(1), ws, profileId);
        long[] entries = stored.isEmpty() ? new long[0] : parse(stored.get(0));
        int at = entries.length;
        while (at >= 3 && (entries[at - 3] > startedAt || entries[at - 3] == startedAt && entries[at - 2] > id)) at -= 3;
        long[] next = new long[entries.length + 3];
        System.arraycopy(entries, 0, next, 0, at);
        next[at] = startedAt;
        next[at + 1] = id;
        next[at + 2] = shape;
        System.arraycopy(entries, at, next, at + 3, entries.length - at);
        st.update("INSERT INTO attribution_profile_paths (workspace_id, profile_id, canonical_id, path) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (workspace_id, profile_id) DO UPDATE SET canonical_id = excluded.canonical_id, path = excluded.path",
                ws, profileId, canonicalId, format(next));
    }

    /** Takes a touchpoint out of its profile's path; the row goes with its last entry. */
    static void remove(StatementCache st, String ws, String profileId, long id) throws SQLException {
        List<String> stored = st.list("SELECT path FROM attribution_profile_paths WHERE workspace_id = ? AND profile_id = ?",
                rs -> rs.getString(1), ws, profileId);
        if (stored.isEmpty()) return;
        long[] entries = parse(stored.get(0));
        long[] kept = new long[entries.length];
        int n = 0;
        for (int i = 0; i < entries.length; i += 3) {
            if (entries[i + 1] == id) continue;
            kept[n++] = entries[i];
            kept[n++] = entries[i + 1];
            kept[n++] = entries[i + 2];
        }
        if (n == 0) {
            st.update("DELETE FROM attribution_profile_paths WHERE workspace_id = ? AND profile_id = ?", ws, profileId);
        } else {
            st.update("UPDATE attribution_profile_paths SET path = ? WHERE workspace_id = ? AND profile_id = ?",
                    format(Arrays.copyOf(kept, n)), ws, profileId);
        }
    }

    /** (started_at, id, shape) triples, flat. */
    public static long[] parse(String path) {
        long[] out = new long[48];
        int n = 0;
        long v = 0;
        long sign = 1;
        for (int i = 0, len = path.length(); i <= len; i++) {
            char c = i == len ? ';' : path.charAt(i);
            if (c == ':' || c == ';') {
                if (n == out.length) out = Arrays.copyOf(out, n * 2);
                out[n++] = sign * v;
                v = 0;
                sign = 1;
            } else if (c == '-') {
                sign = -1;
            } else {
                v = v * 10 + (c - '0');
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    static String format(long[] entries) {
        StringBuilder b = new StringBuilder(entries.length * 9);
        for (int i = 0; i < entries.length; i += 3) {
            if (i > 0) b.append(';');
            b.append(entries[i]).append(':').append(entries[i + 1]).append(':').append(entries[i + 2]);
        }
        return b.toString();
    }
}
