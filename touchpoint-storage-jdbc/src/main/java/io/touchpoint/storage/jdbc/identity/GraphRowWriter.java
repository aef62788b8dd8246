package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.LinkRefresh;
import io.touchpoint.storage.jdbc.sql.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Writes the rows a part of an identity batch changed ({@link HeldGraph#seal}) in JDBC batches, on the batch's
 * transaction: new and re-pointed profiles, new links and refreshed last-seen times, the people list's sights, the
 * merge log, and which profile each event resolved to. Between chunks of rows it asks whether to give way to a waiting durable write.
 */
final class GraphRowWriter {
    private final String refreshLinkSql;
    /** Two and three links of one profile to one time: one statement finds the profile's links once. */
    private final String refreshTwoLinksSql;
    private final String refreshThreeLinksSql;
    private final SqlDialect dialect;

    GraphRowWriter(JdbcDatabase db) {
        // by the primary key (profile first): the identifier index would find the row, then the key find it again
        this.refreshLinkSql = "UPDATE identity_links SET last_seen_at = ? WHERE " + db.dialect().notIndexed("workspace_id")
                + " = ? AND type = ? AND value = ? AND profile_id = ?";
        this.refreshTwoLinksSql = refreshLinksSql(db, 2);
        this.refreshThreeLinksSql = refreshLinksSql(db, 3);
        this.dialect = db.dialect();
    }

    private static String refreshLinksSql(JdbcDatabase db, int links) {
        return "UPDATE identity_links SET last_seen_at = ? WHERE profile_id = ? AND " + db.dialect().notIndexed("workspace_id") + " = ? AND ("
                + String.join(" OR ", Collections.nCopies(links, "(type = ? AND value = ?)")) + ")";
    }

    record MergeRow(String ws, String survivor, String absorbed, Identifier via, String rule, String outcome,
                    String eventId, long at) {
    }

    record EventRow(String eventId, String ws, long seq, String profileId) {
    }

    private static boolean sameRefresh(LinkRow a, LinkRow b) {
        return !b.insert() && a.lastSeen() == b.lastSeen() && a.profileId().equals(b.profileId()) && a.ws().equals(b.ws());
    }

    /** Rows a write sends per JDBC batch; between two, a long write checks whether to give way. */
    static final int WRITE_CHUNK = 1000;

    /** A write that stopped for a waiting durable write; its transaction is rolled back and the batch redone. */
    static final class GaveWay extends RuntimeException {
        GaveWay() {
            super("gave way to a durable write", null, false, false);
        }
    }

    /**
     * One statement's rows, sent every {@link #WRITE_CHUNK} and by {@link #finish}; after each send, {@code giveWay}
     * may stop the write.
     */
    static final class ChunkedRows implements AutoCloseable {
        private final PreparedStatement ps;
        private final BooleanSupplier giveWay;
        private int pending;

        ChunkedRows(Connection c, String sql, BooleanSupplier giveWay) throws SQLException {
            this.ps = c.prepareStatement(sql);
            this.giveWay = giveWay;
        }

        PreparedStatement statement() {
            return ps;
        }

        void add() throws SQLException {
            ps.addBatch();
            if (++pending == WRITE_CHUNK) send();
        }

        private void send() throws SQLException {
            ps.executeBatch();
            pending = 0;
            if (giveWay.getAsBoolean()) throw new GaveWay();
        }

        /** Sends the rows added since the last send. */
        void finish() throws SQLException {
            if (pending > 0) send();
        }

        @Override
        public void close() throws SQLException {
            ps.close();
        }
    }

    record ProfileRow(boolean insert, String id, String ws, long createdSeq, long createdAt, String mergedInto,
                              String canonical) {
    }

    record LinkRow(boolean insert, String ws, IdentifierType type, String value, String profileId, String rule,
                           String eventId, long firstSeen, long lastSeen) {
    }

    /**
     * The rows one part of a batch changed, as values: {@link HeldGraph#seal} takes them off the held graph, which the
     * next part may then change again while these are written (by another thread, see {@link JdbcIdentityStage}).
     */
    record PendingRows(List<ProfileRow> profiles, List<LinkRow> links, List<MergeRow> merges, List<EventRow> events) {
    }

    /**
     * Writes sealed rows, a JDBC batch per {@link #WRITE_CHUNK} rows of a statement. Between chunks {@code giveWay}
     * is asked whether to stop: a {@link GaveWay} leaves the transaction for the caller to roll back (the rows
     * already sent are part of it) and the held graph for it to clear. Reads nothing of the held graph.
     */
    void write(Connection c, PendingRows rows, BooleanSupplier giveWay) throws SQLException {
        try (ChunkedRows insert = new ChunkedRows(c, "INSERT INTO identity_profiles"
                + " (id, workspace_id, created_seq, created_at, merged_into, canonical_id) VALUES (?, ?, ?, ?, ?, ?)", giveWay);
             ChunkedRows update = new ChunkedRows(c, "UPDATE identity_profiles SET merged_into = ?, canonical_id = ? WHERE id = ?", giveWay)) {
            for (ProfileRow p : rows.profiles()) {
                if (p.insert()) {
                    PreparedStatement ps = insert.statement();
                    ps.setString(1, p.id());
                    ps.setString(2, p.ws());
                    ps.setLong(3, p.createdSeq());
                    ps.setLong(4, p.createdAt());
                    ps.setString(5, p.mergedInto());
                    ps.setString(6, p.canonical());
                    insert.add();
                } else {
                    PreparedStatement ps = update.statement();
                    ps.setString(1, p.mergedInto());
                    ps.setString(2, p.canonical());
                    ps.setString(3, p.id());
                    update.add();
                }
            }
            insert.finish();
            update.finish();
        }
        try (ChunkedRows insert = new ChunkedRows(c, "INSERT INTO identity_links"
                + " (workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", giveWay);
             ChunkedRows one = new ChunkedRows(c, refreshLinkSql, giveWay);
             ChunkedRows two = new ChunkedRows(c, refreshTwoLinksSql, giveWay);
             ChunkedRows three = new ChunkedRows(c, refreshThreeLinksSql, giveWay)) {
            Optional<SqlDialect.BulkLastSeen> bulkWay = dialect.bulkLastSeen();
            List<LinkRefresh> bulk = bulkWay.isPresent() ? new ArrayList<>() : null;
            List<LinkRow> links = rows.links();
            for (int i = 0; i < links.size(); ) {
                LinkRow l = links.get(i);
                if (l.insert()) {
                    PreparedStatement ps = insert.statement();
                    ps.setString(1, l.ws());
                    ps.setString(2, HeldGraph.wire(l.type()));
                    ps.setString(3, l.value());
                    ps.setString(4, l.profileId());
                    ps.setString(5, l.rule());
                    ps.setString(6, l.eventId());
                    ps.setLong(7, l.firstSeen());
                    ps.setLong(8, l.lastSeen());
                    insert.add();
                    i++;
                    continue;
                }
                if (bulk != null) {
                    bulk.add(new LinkRefresh(l.ws(), HeldGraph.wire(l.type()), l.value(), l.profileId(), l.lastSeen()));
                    i++;
                    continue;
                }
                // the refreshes of one profile's links to one time, up to three per statement
                int n = 1;
                while (n < 3 && i + n < links.size() && sameRefresh(l, links.get(i + n))) n++;
                if (n == 1) {
                    PreparedStatement ps = one.statement();
                    ps.setLong(1, l.lastSeen());
                    ps.setString(2, l.ws());
                    ps.setString(3, HeldGraph.wire(l.type()));
                    ps.setString(4, l.value());
                    ps.setString(5, l.profileId());
                    one.add();
                } else {
                    ChunkedRows group = n == 2 ? two : three;
                    PreparedStatement ps = group.statement();
                    ps.setLong(1, l.lastSeen());
                    ps.setString(2, l.profileId());
                    ps.setString(3, l.ws());
                    for (int k = 0; k < n; k++) {
                        ps.setString(4 + 2 * k, HeldGraph.wire(links.get(i + k).type()));
                        ps.setString(5 + 2 * k, links.get(i + k).value());
                    }
                    group.add();
                }
                i += n;
            }
            insert.finish();
            one.finish();
            two.finish();
            three.finish();
            if (bulk != null && !bulk.isEmpty()) bulkWay.get().refresh(c, bulk);
        }
        PeopleSights.write(c, rows, giveWay);
        // in the order the merges happened: the log's ids are that order, and commit in it across processes
        if (!rows.merges().isEmpty()) dialect.lockMergeOrder(c);
        try (ChunkedRows merges = new ChunkedRows(c, "INSERT INTO identity_merges (workspace_id, survivor_id, absorbed_id,"
                + " via_type, via_value, rule, outcome, event_id, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", giveWay)) {
            for (MergeRow m : rows.merges()) {
                PreparedStatement ps = merges.statement();
                ps.setString(1, m.ws());
                ps.setString(2, m.survivor());
                ps.setString(3, m.absorbed());
                ps.setString(4, m.via().type().wireName());
                ps.setString(5, m.via().value());
                ps.setString(6, m.rule());
                ps.setString(7, m.outcome());
                ps.setString(8, m.eventId());
                ps.setLong(9, m.at());
                merges.add();
            }
            merges.finish();
        }
        try (ChunkedRows events = new ChunkedRows(c, "INSERT INTO identity_event_profiles (event_id, workspace_id, seq, profile_id) VALUES (?, ?, ?, ?)",
                giveWay)) {
            for (EventRow r : rows.events()) {
                PreparedStatement ps = events.statement();
                ps.setString(1, r.eventId());
                ps.setString(2, r.ws());
                ps.setLong(3, r.seq());
                ps.setString(4, r.profileId());
                events.add();
            }
            events.finish();
        }
    }
}
