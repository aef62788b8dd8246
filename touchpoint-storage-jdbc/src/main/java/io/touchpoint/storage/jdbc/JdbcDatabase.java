package io.touchpoint.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/** How a store reaches its database: one transaction per write, pooled reads. */
public interface JdbcDatabase extends AutoCloseable {
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction and commits it; rolls back and rethrows on failure. */
    <T> T write(Work<T> work);

    /**
     * {@link #write} for derived state that the event log can rebuild, committed together with the cursor that
     * says how far it got: a store may commit it without waiting for the disk (SQLite: no fsync of this commit;
     * the next durable commit syncs it, in order). A power cut may then lose such a commit whole, cursor
     * included, and the processor redoes it; it never loses or reorders anything committed with {@link #write}.
     */
    default <T> T writeDerived(Work<T> work) {
        return write(work);
    }

    /**
     * Whether a {@link #write} is waiting for the transaction in progress to end: a long {@link #writeDerived} may
     * then give way (roll back and be redone smaller) so an acknowledgement does not wait on it. Only a store whose
     * writes all share one lock (SQLite) ever answers true.
     */
    default boolean durableWriteWaiting() {
        return false;
    }

    /**
     * The identity stage's batch while ingest is quiet ({@link io.touchpoint.core.stage.Stage#quietBatch}).
     * On SQLite a batch's cost is mostly the pages it writes, which the events of one batch share, and its commit, so
     * large batches pay (written in parts beside their resolution, see {@link JdbcIdentityStage#PART}); on PostgreSQL
     * they pay up to about 5,000; 20,000 was no faster (docs/BENCHMARKS.md, *Identity processor*).
     */
    default int quietIdentityBatch() {
        return 100_000;
    }

    /**
     * Called after an erasure committed: removes, where the database can, the copies of what it removed that its
     * files still hold. SQLite, which zeroes freed space as it writes it (secure_delete), copies its WAL into the
     * database file and truncates it. PostgreSQL keeps dead row versions in its table files until their space is
     * reused, and in its WAL and backups until those are recycled (README, Profiles): nothing is done here.
     */
    default void afterErasure() {
    }

    /** Runs {@code work} on a connection for reading. */
    <T> T read(Work<T> work);

    /**
     * {@code table} in a FROM clause, read along its integer primary key rather than a secondary index: for a
     * range on that key with filters on indexed columns, where the range is small but an index on a filter column
     * would look more selective to SQLite's planner (which has no statistics). PostgreSQL's planner has them.
     */
    default String primaryKeyScan(String table) {
        return table + " NOT INDEXED";
    }

    /**
     * {@code column} as the left side of an equality that SQLite's planner must not answer from an index (a unary
     * plus), where another index the statement can use reaches the row in one search instead of two. PostgreSQL's
     * planner has statistics and takes the column as it is.
     */
    default String notIndexed(String column) {
        return "+" + column;
    }

    /**
     * {@code table} with {@code alias} in a FROM clause, read along {@code index}, a partial index the statement's
     * WHERE matches: SQLite's planner, which has no statistics, would take a range on another index of the table as
     * narrower. PostgreSQL's planner knows the partial index is small.
     */
    default String indexedBy(String table, String alias, String index) {
        return table + " " + alias + " INDEXED BY " + index;
    }

    /**
     * What ends a SELECT whose rows the transaction is about to change, so that a concurrent writer of those rows waits
     * for it or is waited for, and rows changed meanwhile are read again: PostgreSQL's FOR UPDATE. SQLite has one
     * writer at a time and no such clause.
     */
    default String forUpdate() {
        return "";
    }

    /** A condition true when text {@code column} holds the text of the next parameter somewhere. */
    default String contains(String column) {
        return "instr(" + column + ", ?) > 0";
    }

    /**
     * A query for the profiles linked to any of {@code values} (at most a few hundred) of one identifier type in one
     * workspace: one column, {@code profile_id}. Each value is to be found along the identifier's key, whatever the
     * planner knows: PostgreSQL, on tables not analyzed yet, answered an IN list by scanning all of the type's links
     * (docs/BENCHMARKS.md), so it looks them up one by one.
     */
    default PreparedStatement linkedProfiles(Connection c, String ws, String type, List<String> values) throws SQLException {
        return bound(c, "SELECT profile_id FROM identity_links WHERE workspace_id = ? AND type = ? AND value IN (" + marks(values.size()) + ")",
                List.of(ws, type), values);
    }

    /**
     * A query for every profile in the merge clusters of these profiles (at most a few hundred): id, workspace_id,
     * created_seq, created_at, merged_into, canonical_id. Searched per profile whatever the planner knows, as
     * {@link #linkedProfiles}.
     */
    default PreparedStatement clustersOf(Connection c, List<String> profileIds) throws SQLException {
        return bound(c, "SELECT id, workspace_id, created_seq, created_at, merged_into, canonical_id FROM identity_profiles"
                + " WHERE canonical_id IN (SELECT canonical_id FROM identity_profiles WHERE id IN (" + marks(profileIds.size()) + "))",
                List.of(), profileIds);
    }

    /** A query for the links of these profiles (at most a few hundred): workspace_id, type, value, profile_id, last_seen_at. */
    default PreparedStatement linksOf(Connection c, List<String> profileIds) throws SQLException {
        return bound(c, "SELECT workspace_id, type, value, profile_id, last_seen_at FROM identity_links"
                + " WHERE profile_id IN (" + marks(profileIds.size()) + ")", List.of(), profileIds);
    }

    /**
     * A query for the rows of {@code table} of one workspace that belong to any of these profiles (canonical ids, at
     * most a few hundred): {@code canonical_id}, then {@code columns}, each profile's rows narrowed by
     * {@code condition} ("" or {@code AND …} with {@code ?} for each of {@code params}). For the attribution stage,
     * which reads the conversions and touchpoints of a batch's profiles at once rather than a profile at a time: one
     * round trip, each profile searched along the table's (workspace_id, canonical_id) index.
     */
    default PreparedStatement ofProfiles(Connection c, String table, String columns, String ws, List<String> canonicalIds,
                                         String condition, long... params) throws SQLException {
        PreparedStatement ps = bound(c, "SELECT canonical_id, " + columns + " FROM " + table + " WHERE workspace_id = ?"
                + " AND canonical_id IN (" + marks(canonicalIds.size()) + ") " + condition, List.of(ws), canonicalIds);
        try {
            for (int i = 0; i < params.length; i++) ps.setLong(2 + canonicalIds.size() + i, params[i]);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static PreparedStatement bound(Connection c, String sql, List<String> first, List<String> values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            int i = 1;
            for (String v : first) ps.setString(i++, v);
            for (String v : values) ps.setString(i++, v);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    @Override
    void close();
}
