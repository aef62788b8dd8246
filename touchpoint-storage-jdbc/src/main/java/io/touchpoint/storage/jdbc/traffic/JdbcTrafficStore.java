package io.touchpoint.storage.jdbc.traffic;

import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.TrafficStore;
import io.touchpoint.core.traffic.TrafficReport;
import io.touchpoint.core.traffic.VisitorSketch;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The traffic overview read from its rollup in one transaction: the days' rows, their sketches merged for the range's
 * visitors, and the range's landing pages and sources summed per day row, so a month reads some thirty day rows and the
 * day rows of its pages and sources, however many page views it had.
 */
public final class JdbcTrafficStore implements TrafficStore {
    private final JdbcDatabase db;

    public JdbcTrafficStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public TrafficReport report(String ws, LocalDate from, LocalDate to, int limit) {
        return db.read(c -> {
            try (StatementCache st = new StatementCache(c)) {
                Map<LocalDate, TrafficReport.Figures> stored = new HashMap<>();
                VisitorSketch range = new VisitorSketch();
                long visits = 0, pageViews = 0, bounces = 0, visitorDays = 0, busiestDay = 0;
                for (Object[] row : st.list("SELECT day, visitors, visits, page_views, bounces, sketch FROM traffic_days"
                        + " WHERE workspace_id = ? AND day >= ? AND day <= ?", rs -> new Object[]{LocalDate.parse(rs.getString(1)),
                        new TrafficReport.Figures(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)), rs.getBytes(6)},
                        ws, from.toString(), to.toString())) {
                    TrafficReport.Figures f = (TrafficReport.Figures) row[1];
                    stored.put((LocalDate) row[0], f);
                    range.merge(VisitorSketch.fromBytes((byte[]) row[2]));
                    visits += f.visits();
                    pageViews += f.pageViews();
                    bounces += f.bounces();
                    visitorDays += f.visitors();
                    busiestDay = Math.max(busiestDay, f.visitors());
                }
                List<TrafficReport.Day> days = new ArrayList<>();
                for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                    days.add(new TrafficReport.Day(d, stored.getOrDefault(d, new TrafficReport.Figures(0, 0, 0, 0))));
                }
                // the estimate kept between what the exact day counts prove: no fewer than the busiest day's visitors,
                // no more than the days' visitors summed (which also lets an erasure lower it)
                long visitors = Math.max(busiestDay, Math.min(visitorDays, range.estimate()));
                List<TrafficReport.LandingPage> pages = st.list("SELECT path, SUM(visits), SUM(bounces) FROM traffic_landing_pages"
                        + " WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY path HAVING SUM(visits) > 0"
                        + " ORDER BY SUM(visits) DESC, path LIMIT ?", rs -> new TrafficReport.LandingPage(rs.getString(1),
                        rs.getLong(2), rs.getLong(3)), ws, from.toString(), to.toString(), limit);
                List<TrafficReport.Source> sources = st.list("SELECT source, channel, SUM(visits) FROM traffic_sources"
                        + " WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY source, channel HAVING SUM(visits) > 0"
                        + " ORDER BY SUM(visits) DESC, source, channel LIMIT ?", rs -> new TrafficReport.Source(rs.getString(1),
                        rs.getString(2), rs.getLong(3)), ws, from.toString(), to.toString(), limit);
                return new TrafficReport(ws, from, to, new TrafficReport.Figures(visitors, visits, pageViews, bounces), days,
                        pages, sources);
            }
        });
    }

    /**
     * Events committed after the traffic stage's cursor (erased ones among them counted too: an upper bound), and those
     * identity set aside behind it, which are counted when a retry resolves them.
     */
    @Override
    public long eventsNotCounted() {
        // one read, so that the cursor and the set-aside events are seen at one moment
        return db.read(c -> {
            try (StatementCache st = new StatementCache(c)) {
                long cursor = st.list("SELECT seq FROM traffic_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0);
                long latest = st.list("SELECT COALESCE(MAX(seq), 0) FROM events", rs -> rs.getLong(1)).get(0);
                long setAside = st.list("SELECT COUNT(DISTINCT event_id) FROM set_aside_events WHERE stage = ? AND seq <= ?",
                        rs -> rs.getLong(1), SetAsideStore.Stage.IDENTITY.wireName(), cursor).get(0);
                return Math.max(0, latest - cursor) + setAside;
            }
        });
    }
}
