package io.touchpoint.storage.jdbc;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.Touchpoint;
import io.touchpoint.core.attribution.models.AttributionModel;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to attribution_rollup gathered over one batch and written once per cell at its end: a recomputed
 * conversion takes its old credits out and puts its new ones in, and most of that cancels within a batch.
 */
final class RollupDeltas {
    /** The rollup's grouping columns, in {@link GroupBy} order. */
    static final List<GroupBy> GROUPS = List.of(GroupBy.values());

    record Key(String workspaceId, String day, String eventName, String model, String currency, List<String> groups) {
    }

    private final Map<Key, double[]> deltas = new HashMap<>();

    /** Adds (sign 1) or takes out (sign -1) one touchpoint's credit of a conversion. */
    void add(AttributionStage.Conversion conv, Touchpoint t, AttributionModel model, double credit, int sign) {
        if (credit == 0) return;
        List<String> groups = GROUPS.stream().map(g -> g.of(t)).toList();
        Key k = new Key(conv.workspaceId(), conv.day(), conv.eventName(), model.wireName(), conv.currency(), groups);
        double[] d = deltas.computeIfAbsent(k, x -> new double[2]);
        d[0] += sign * credit;
        d[1] += sign * credit * conv.valueOrZero();
    }

    void write(StatementCache st) throws SQLException {
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
    }
}
