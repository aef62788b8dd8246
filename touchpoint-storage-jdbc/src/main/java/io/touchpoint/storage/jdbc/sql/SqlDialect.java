package io.touchpoint.storage.jdbc.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The SQL where SQLite and PostgreSQL differ: planner hints, locking reads, text search, and the statements that
 * look up many keys at once. Each database gives its own; the rooms write the rest of their SQL once for both.
 */
public interface SqlDialect {
    /**
     * Whether the database runs in this process, so a statement executed once per key costs no round trip and is
     * cheaper than one long statement for many keys, which must be planned afresh each time.
     */
    default boolean inProcess() {
        return false;
    }

    /**
     * {@code table} in a FROM clause, read along its integer primary key rather than a secondary index: for a
     * range on that key with filters on indexed columns, where the range is small but an index on a filter column
     * would look more selective to SQLite's planner (which has no statistics). PostgreSQL's planner has them.
     */
    String primaryKeyScan(String table);

    /**
     * The rows of {@code table} (as {@code alias}) whose integer key {@code seq} lies after the first parameter and up
     * to the second, each found along that key whatever else the statement filters on: a FROM item and the start of
     * a WHERE clause, for the caller to continue with {@code AND …}. SQLite reads the key's range; PostgreSQL looks up
     * each number of the range, as a plan prepared once (generic, without the bounds' values) would otherwise take a
     * workspace's index when the statement also names a workspace, and read every entry of it.
     */
    String keyRange(String table, String alias);

    /**
     * {@code column} as the left side of an equality that SQLite's planner must not answer from an index (a unary
     * plus), where another index the statement can use reaches the row in one search instead of two. PostgreSQL's
     * planner has statistics and takes the column as it is.
     */
    String notIndexed(String column);

    /**
     * {@code table} with {@code alias} in a FROM clause, read along {@code index}, a partial index the statement's
     * WHERE matches: SQLite's planner, which has no statistics, would take a range on another index of the table as
     * narrower. PostgreSQL's planner knows the partial index is small.
     */
    String indexedBy(String table, String alias, String index);

    /**
     * What ends a SELECT whose rows the transaction is about to change, so that a concurrent writer of those rows waits
     * for it or is waited for, and rows changed meanwhile are read again: PostgreSQL's FOR UPDATE. SQLite has one
     * writer at a time and no such clause.
     */
    String forUpdate();

    /**
     * Taken by a transaction that adds events or events-log entries, before it adds them: the processing stages follow
     * those rows by sequence number, so rows must become visible in sequence order, or a stage could pass over a row
     * that commits after a later one. PostgreSQL hands out sequence numbers to concurrent transactions (several
     * processes ingesting into one database) that may commit in another order: a transaction-scoped lock makes them
     * take turns from the first number to the commit. SQLite has one writer at a time already.
     */
    void lockCommitOrder(Connection c) throws SQLException;

    /**
     * The same for the merge log: the attribution stage takes merges in id order, so a step adding merges holds a
     * transaction-scoped lock from their first id to its commit, and no merge commits later below one already read.
     * Taken after the step's claims on its positions and workspace versions, which every step takes first.
     */
    void lockMergeOrder(Connection c) throws SQLException;

    /** A condition true when text {@code column} holds the text of the next parameter somewhere. */
    String contains(String column);

    /**
     * A query for the {@code profile_id} of every identity link (of any workspace) whose value contains a search
     * text of at least 3 characters, case-insensitive, found along the links' trigram index rather than by reading
     * them all (links still waiting for the index included); its parameters are {@link #searchTerms} of the text.
     */
    String linksContaining();

    /** The parameters of {@link #linksContaining} for a search text (3 characters or more). */
    List<Object> searchTerms(String text);

    /**
     * A query for the profiles linked to any of {@code values} (at most a few hundred) of one identifier type in one
     * workspace: one column, {@code profile_id}. Each value is to be found along the identifier's key, whatever the
     * planner knows: PostgreSQL, on tables not analyzed yet, answered an IN list by scanning all of the type's links
     * (docs/BENCHMARKS.md), so it looks them up one by one.
     */
    PreparedStatement linkedProfiles(Connection c, String ws, String type, List<String> values) throws SQLException;

    /**
     * A query for every profile in the merge clusters of these profiles (at most a few hundred): id, workspace_id,
     * created_seq, created_at, merged_into, canonical_id. Searched per profile whatever the planner knows, as
     * {@link #linkedProfiles}.
     */
    PreparedStatement clustersOf(Connection c, List<String> profileIds) throws SQLException;

    /** A query for the links of these profiles (at most a few hundred): workspace_id, type, value, profile_id, last_seen_at. */
    PreparedStatement linksOf(Connection c, List<String> profileIds) throws SQLException;

    /**
     * A query for the rows of {@code table} of one workspace that belong to any of these profiles (canonical ids, at
     * most a few hundred): {@code canonical_id}, then {@code columns}, each profile's rows narrowed by
     * {@code condition} ("" or {@code AND …} with {@code ?} for each of {@code params}). For the attribution stage,
     * which reads the conversions and touchpoints of a batch's profiles at once rather than a profile at a time: one
     * round trip, each profile searched along the table's (workspace_id, canonical_id) index.
     */
    PreparedStatement ofProfiles(Connection c, String table, String columns, String ws, List<String> canonicalIds,
                                 String condition, long... params) throws SQLException;

    /** Sets the last-seen times of many links (one part of a batch) in one statement. */
    interface BulkLastSeen {
        void refresh(Connection c, List<LinkRefresh> links) throws SQLException;
    }

    /**
     * How this database sets many links' last-seen times in one statement (PostgreSQL, over arrays); empty where it
     * cannot (SQLite, which has no arrays): the identity stage then refreshes up to three links of one profile a
     * statement, found in one search of SQLite's profile-first key.
     */
    Optional<BulkLastSeen> bulkLastSeen();

    /**
     * Adds {@code rows} (each one value per column: text, a number, an {@link java.time.Instant} or null) to
     * {@code table} in the open transaction. Here one prepared insert run as a batch: SQLite runs each in process at
     * the speed of its B-tree. PostgreSQL streams them in one {@code COPY}, which spares the server a statement per
     * row and the driver a parameter per value.
     */
    default void insertRows(Connection c, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) return;
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                Rows.setParams(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The id of the stored event with each idempotency key, in the order asked (null where none is stored):
     * {@code workspaceIds} and {@code keys} pair up. Here one lookup along the events' idempotency index per key,
     * which SQLite answers in process; PostgreSQL looks them all up in one statement, one round trip for the
     * transaction instead of one per event.
     */
    default List<String> eventIdsWithKeys(Connection c, List<String> workspaceIds, List<String> keys) throws SQLException {
        List<String> ids = new ArrayList<>(keys.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM events WHERE workspace_id = ? AND idempotency_key = ?")) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(1, workspaceIds.get(i));
                ps.setString(2, keys.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    ids.add(rs.next() ? rs.getString(1) : null);
                }
            }
        }
        return ids;
    }
}
