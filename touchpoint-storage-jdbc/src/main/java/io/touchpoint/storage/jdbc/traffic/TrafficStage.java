package io.touchpoint.storage.jdbc.traffic;

import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.Visits;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.stage.Stage;
import io.touchpoint.core.touchpoint.EventTouch;
import io.touchpoint.core.touchpoint.Touchpoint;
import io.touchpoint.core.traffic.LandingPath;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.LateResolution;
import io.touchpoint.storage.jdbc.ledger.StoredTouchRows;
import io.touchpoint.storage.jdbc.ledger.TrafficRollup;
import io.touchpoint.storage.jdbc.ledger.WorkspaceTerms;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The traffic stage (docs/TRAFFIC.md): walks the events the identity stage resolved, in sequence order behind its
 * own cursor, and counts each page view into the traffic rollup: a page view continues its visitor's latest visit as
 * the attribution stage's visits are continued ({@link Visits#continues}), or begins a visit on its landing page.
 * Its cursor starts at the first event, so everything stored before the rollup existed is counted too. A page view the
 * identity stage set aside is counted when a retry resolves it ({@link #countLate}).
 */
public final class TrafficStage implements Stage {
    /** Events per step while ingest is quiet: a page view costs a read and a write or two. */
    static final int BATCH = 1_000;
    private static final String VISIT_COLUMNS = "id, started_at, last_seen_at, click_id, " + StoredTouchRows.COLUMNS
            + ", day, landing_path, page_views";
    private final JdbcDatabase db;

    public TrafficStage(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "traffic";
    }

    @Override
    public int quietBatch() {
        return BATCH;
    }

    /** Derived state committed with its cursor: a commit lost to a power cut is counted again from the cursor. */
    @Override
    public int step(int limit) {
        return db.writeDerived(c -> {
            try (StatementCache st = new StatementCache(c)) {
                return new Step(st).run(limit);
            }
        });
    }

    /**
     * Counts the page view at {@code seq} that the identity stage resolved out of order, in the transaction that
     * resolved it ({@link LateResolution}): only when this stage's cursor went past it while it was unresolved; before
     * that, the next step counts it in order.
     */
    public static void countLate(Connection c, long seq) throws SQLException {
        try (StatementCache st = new StatementCache(c)) {
            new Step(st).late(seq);
        }
    }

    /** The visit in progress of a visitor, as stored. */
    private record Visit(StoredTouch touch, String day, String path, long pageViews) {
    }

    private static final class Step {
        private final StatementCache st;
        private final TrafficRollup rollup = new TrafficRollup();
        private final WorkspaceTerms terms;

        Step(StatementCache st) {
            this.st = st;
            this.terms = new WorkspaceTerms(st);
        }

        int run(int limit) throws SQLException {
            TrafficRollup.lockStage(st);
            long cursor = cursor();
            long upTo = GraphReads.identityCursor(st);
            if (upTo <= cursor) return 0;
            GraphReads.NamedScan scan = GraphReads.resolvedNamed(st, EventNames.PAGE_VIEW, cursor, upTo, limit);
            countPageViews(scan.named());
            // fewer rows than asked for: every resolved event up to the identity cursor is read (erased ones have no row)
            long next = scan.read() == limit ? scan.lastSeq() : upTo;
            st.update("UPDATE traffic_cursor SET seq = ? WHERE id = 1", next);
            return Math.max(scan.read(), 1);
        }

        void late(long seq) throws SQLException {
            TrafficRollup.lockStage(st);
            long cursor = cursor();
            if (seq > cursor) return;
            countPageViews(GraphReads.resolvedNamed(st, EventNames.PAGE_VIEW, seq - 1, seq, 1).named());
        }

        private long cursor() throws SQLException {
            return st.list("SELECT seq FROM traffic_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0);
        }

        private void countPageViews(List<GraphReads.Resolved> pageViews) throws SQLException {
            for (GraphReads.Resolved r : pageViews) count(r);
            rollup.write(st);
        }

        private void count(GraphReads.Resolved r) throws SQLException {
            Event e = r.event();
            String ws = e.workspaceId();
            Optional<EventTouch> touch = EventTouch.of(e);
            if (touch.isEmpty()) return;
            Instant at = e.eventTime();
            List<Visit> latest = st.list("SELECT " + VISIT_COLUMNS + " FROM traffic_visits WHERE profile_id = ?"
                    + " ORDER BY last_seen_at DESC, id DESC LIMIT 1", rs -> new Visit(StoredTouchRows.stored(rs),
                    rs.getString("day"), rs.getString("landing_path"), rs.getLong("page_views")), r.profileId());
            Visit last = latest.isEmpty() ? null : latest.get(0);
            if (last != null && Visits.continues(last.touch(), at, touch.get(), terms.settings(ws).visitTimeout())) {
                st.update("UPDATE traffic_visits SET page_views = page_views + 1, last_seen_at = ? WHERE id = ?",
                        Math.max(at.toEpochMilli(), last.touch().lastSeen().toEpochMilli()), last.touch().id());
                rollup.visitContinued(ws, last.day(), last.path(), last.pageViews());
                return;
            }
            String day = terms.day(ws, at.toEpochMilli());
            String path = LandingPath.of(e.context().pageUrl());
            Touchpoint t = touch.get().touchpoint();
            boolean newVisitor = st.list("SELECT 1 FROM traffic_visits WHERE profile_id = ? AND day = ? LIMIT 1",
                    rs -> 1, r.profileId(), day).isEmpty();
            List<Object> params = new ArrayList<>(List.of(ws, r.profileId(), e.id(), at.toEpochMilli(), at.toEpochMilli(),
                    day, path));
            params.add(t.clickId());
            params.addAll(Arrays.asList(StoredTouchRows.values(t)));
            st.update("INSERT INTO traffic_visits (workspace_id, profile_id, event_id, started_at, last_seen_at, day,"
                    + " landing_path, page_views, click_id, " + StoredTouchRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, "
                    + StoredTouchRows.MARKS + ")", params.toArray());
            rollup.visitStarted(ws, day, path, TrafficRollup.sourceLabel(t.source()), t.channel().wireName(), r.profileId(),
                    newVisitor);
        }
    }
}
