package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.traffic.VisitorSketch;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes to the traffic overview's rollup (traffic_days, traffic_landing_pages, traffic_sources), summed in memory and
 * written once per transaction: the traffic stage adds visits and page views, erasure takes a person's visits out.
 * Shared because erasure crosses rooms; only these two write the traffic tables.
 */
public final class TrafficRollup {
    /** Per (workspace, day): visitors, visits, page views, bounces. */
    private final Map<List<String>, long[]> days = new LinkedHashMap<>();
    private final Map<List<String>, VisitorSketch> sketches = new LinkedHashMap<>();
    /** Per (workspace, day, path): visits, bounces. */
    private final Map<List<String>, long[]> pages = new LinkedHashMap<>();
    /** Per (workspace, day, source, channel): visits. */
    private final Map<List<String>, long[]> sources = new LinkedHashMap<>();

    /** A visit begins: one visit, one page view, a bounce until a second page view; a visitor when new that day. */
    public void visitStarted(String ws, String day, String path, String source, String channel, String profileId,
                             boolean newVisitorOfDay) {
        add(days, List.of(ws, day), newVisitorOfDay ? 1 : 0, 1, 1, 1);
        add(pages, List.of(ws, day, path), 1, 1);
        add(sources, List.of(ws, day, source, channel), 1);
        if (newVisitorOfDay) sketches.computeIfAbsent(List.of(ws, day), k -> new VisitorSketch()).add(profileId);
    }

    /** A page view continues a visit of {@code pageViewsBefore} page views; its second one ends its bounce. */
    public void visitContinued(String ws, String day, String path, long pageViewsBefore) {
        long unbounce = pageViewsBefore == 1 ? -1 : 0;
        add(days, List.of(ws, day), 0, 0, 1, unbounce);
        add(pages, List.of(ws, day, path), 0, unbounce);
    }

    /** Takes one stored visit out; {@code lastOfVisitorDay} when it was its visitor's only visit left that day. */
    private void visitForgotten(String ws, String day, String path, String source, String channel, long pageViews,
                                boolean lastOfVisitorDay) {
        long bounce = pageViews == 1 ? -1 : 0;
        add(days, List.of(ws, day), lastOfVisitorDay ? -1 : 0, -1, -pageViews, bounce);
        add(pages, List.of(ws, day, path), -1, bounce);
        add(sources, List.of(ws, day, source, channel), -1);
    }

    private static void add(Map<List<String>, long[]> map, List<String> key, long... deltas) {
        long[] sums = map.computeIfAbsent(key, k -> new long[deltas.length]);
        for (int i = 0; i < deltas.length; i++) sums[i] += deltas[i];
    }

    /** Writes what was summed and starts over. */
    public void write(StatementCache st) throws SQLException {
        for (var d : days.entrySet()) {
            long[] v = d.getValue();
            st.update("INSERT INTO traffic_days (workspace_id, day, visitors, visits, page_views, bounces) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (workspace_id, day) DO UPDATE SET visitors = traffic_days.visitors + excluded.visitors,"
                    + " visits = traffic_days.visits + excluded.visits, page_views = traffic_days.page_views + excluded.page_views,"
                    + " bounces = traffic_days.bounces + excluded.bounces", d.getKey().get(0), d.getKey().get(1), v[0], v[1], v[2], v[3]);
        }
        for (var s : sketches.entrySet()) {
            List<byte[]> stored = st.list("SELECT sketch FROM traffic_days WHERE workspace_id = ? AND day = ?",
                    rs -> rs.getBytes(1), s.getKey().get(0), s.getKey().get(1));
            VisitorSketch merged = VisitorSketch.fromBytes(stored.isEmpty() ? null : stored.get(0));
            merged.merge(s.getValue());
            st.update("UPDATE traffic_days SET sketch = ? WHERE workspace_id = ? AND day = ?", merged.toBytes(),
                    s.getKey().get(0), s.getKey().get(1));
        }
        for (var p : pages.entrySet()) {
            st.update("INSERT INTO traffic_landing_pages (workspace_id, day, path, visits, bounces) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (workspace_id, day, path) DO UPDATE SET visits = traffic_landing_pages.visits + excluded.visits,"
                    + " bounces = traffic_landing_pages.bounces + excluded.bounces",
                    p.getKey().get(0), p.getKey().get(1), p.getKey().get(2), p.getValue()[0], p.getValue()[1]);
        }
        for (var s : sources.entrySet()) {
            st.update("INSERT INTO traffic_sources (workspace_id, day, source, channel, visits) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (workspace_id, day, source, channel) DO UPDATE SET visits = traffic_sources.visits + excluded.visits",
                    s.getKey().get(0), s.getKey().get(1), s.getKey().get(2), s.getKey().get(3), s.getValue()[0]);
        }
        days.clear();
        sketches.clear();
        pages.clear();
        sources.clear();
    }

    /**
     * Takes the traffic stage's row lock until the transaction ends: the stage takes it before it reads page views and
     * erasure before it forgets visits, so on PostgreSQL a step that read a person's page views cannot count them
     * after the erasure took the rest out.
     */
    public static void lockStage(StatementCache st) throws SQLException {
        st.update("UPDATE traffic_cursor SET seq = seq WHERE id = 1");
    }

    /**
     * Takes the visits of erased profiles out of the rollup, exactly for every count but the range's visitors, which
     * their days' sketches keep (a sketch cannot forget), and deletes the visits.
     */
    public static void forgetProfiles(Connection c, List<String> profileIds) throws SQLException {
        try (StatementCache st = new StatementCache(c)) {
            lockStage(st);
            TrafficRollup rollup = new TrafficRollup();
            for (String profile : profileIds) {
                List<String[]> visits = st.list("SELECT workspace_id, day, landing_path, source, channel, page_views"
                        + " FROM traffic_visits WHERE profile_id = ? ORDER BY day", rs -> new String[]{rs.getString(1),
                        rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)}, profile);
                Set<String> daysSeen = new HashSet<>();
                for (String[] v : visits) {
                    rollup.visitForgotten(v[0], v[1], v[2], TrafficRollup.sourceLabel(v[3]), v[4], Long.parseLong(v[5]),
                            daysSeen.add(v[1]));
                }
                st.update("DELETE FROM traffic_visits WHERE profile_id = ?", profile);
            }
            rollup.write(st);
        }
    }

    /** A visit's source as the rollup groups it: {@code (direct)} when it had none. */
    public static String sourceLabel(String source) {
        return source == null || source.isBlank() ? "(direct)" : source;
    }
}
