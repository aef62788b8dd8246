package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.touchpoint.Touchpoint;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes to attribution_rollup gathered over one batch and written once per cell at its end: a recomputed
 * conversion takes its old credits out and puts its new ones in, and most of that cancels within a batch. With
 * them, the days whose attribution data the batch changed (a conversion credited anew or taken out, a touchpoint
 * added or moved to another profile): {@link #write} raises attribution_cursor.data_version and stamps those days
 * in attribution_changes with it, which is how a stored data-driven run knows it is stale.
 */
public final class RollupDeltas {
    /** The rollup's grouping columns, in {@link GroupBy} order. */
    static final List<GroupBy> GROUPS = GroupBy.STORED;

    record Key(String workspaceId, String day, String eventName, String model, String currency, List<String> groups) {
    }

    private final Map<Key, double[]> deltas = new HashMap<>();
    /** Workspace id → days (YYYY-MM-DD) whose data changed. */
    private final Map<String, Set<String>> changed = new HashMap<>();

    /** Notes that the data of the workspace's day changed (a touchpoint, a conversion or its credits). */
    public void changed(String workspaceId, String day) {
        changed.computeIfAbsent(workspaceId, w -> new HashSet<>()).add(day);
    }

    /** Adds (sign 1) or takes out (sign -1) one touchpoint's credit of a conversion. */
    public void add(Conversion conv, Touchpoint t, AttributionModel model, double credit, int sign) {
      changed(conv.workspaceId(), conv.day());
        if (credit == 0) return;
        List<String> groups = GROUPS.stream().map(g -> g.of(t)).toList();
        Key k = new Key(conv.workspaceId(), conv.day(), conv.eventName(), model.wireName(), conv.currency(), groups);
        double[] d = deltas.computeIfAbsent(k, x -> new double[2]);
        d[0] += sign * credit;
        d[1] += sign * credit * conv.valueOrZero();
    }

    public void write(StatementCache st) throws SQLException {
        String sql = "INSERT INTO attribution_rollup (workspace_id, day, event_name, model, currency, channel, source, medium,"
                + " campaign, content, term, platform, conversions, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (workspace_id, day, event_name, model, currency, channel, source, medium, campaign, content,"
                + " term, platform) DO UPDATE SET conversions = attribution_rollup.conversions + excluded.conversions,"
                + " revenue = attribution_rollup.revenue + excluded.revenue";
        for (var e : deltas.entrySet()) {
            double[] d = e.getValue();
            if (Math.abs(d[0]) < 1e-12 && Math.abs(d[1]) < 1e-9) continue;
            Key k = e.getKey();
            List<String> g = k.groups();
            var ps = st.get(sql, k.workspaceId(), k.day(), k.eventName(), k.model(), k.currency(), g.get(0), g.get(1),
                    g.get(2), g.get(3), g.get(4), g.get(5), g.get(6), d[0], d[1]);
            ps.addBatch();
        }
        st.get(sql).executeBatch();
        deltas.clear();
        writeChanged(st);
    }

    /** One new data version for everything this batch changed, stamped on each changed day. */
    private void writeChanged(StatementCache st) throws SQLException {
        if (changed.isEmpty()) return;
        st.update("UPDATE attribution_cursor SET data_version = data_version + 1 WHERE id = 1");
        long version = st.list("SELECT data_version FROM attribution_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0);
        String sql = "INSERT INTO attribution_changes (workspace_id, day, version) VALUES (?, ?, ?)"
                + " ON CONFLICT (workspace_id, day) DO UPDATE SET version = excluded.version";
        for (var ws : changed.entrySet()) {
            for (String day : ws.getValue()) st.get(sql, ws.getKey(), day, version).addBatch();
        }
        st.get(sql).executeBatch();
        changed.clear();
    }
}
