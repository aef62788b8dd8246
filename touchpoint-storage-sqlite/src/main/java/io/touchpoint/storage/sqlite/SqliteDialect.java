package io.touchpoint.storage.sqlite;

import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SQLite's SQL: its planner has no statistics, so statements name the index or the scan they must take; it has one
 * writer at a time (no locking reads) and no arrays, so many keys go in IN lists, each found along its index.
 */
final class SqliteDialect implements SqlDialect {
    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public String primaryKeyScan(String table) {
        return table + " NOT INDEXED";
    }

    @Override
    public String keyRange(String table, String alias) {
        return table + " AS " + alias + " NOT INDEXED WHERE " + alias + ".seq > ? AND " + alias + ".seq <= ?";
    }

    @Override
    public String notIndexed(String column) {
        return "+" + column;
    }

    @Override
    public String indexedBy(String table, String alias, String index) {
        return table + " " + alias + " INDEXED BY " + index;
    }

    @Override
    public String forUpdate() {
        return "";
    }

    @Override
    public void lockCommitOrder(Connection c) {
        // one writer at a time: rows become visible in the order their sequence numbers were given
    }

    @Override
    public void lockMergeOrder(Connection c) {
        // one writer at a time: merges become visible in the order of their ids
    }

    @Override
    public String contains(String column) {
        return "instr(" + column + ", ?) > 0";
    }

    /**
     * The indexed links along the FTS5 trigram index in the index file (attached as {@code search}), and the few
     * waiting for the people-search index stage read whole. A waiting link is matched by SQLite's lower(), which folds ASCII letters only, until the stage indexes it.
     */
    @Override
    public String linksContaining() {
        return "SELECT profile_id FROM search.identity_link_search WHERE identity_link_search MATCH ?"
                + " UNION ALL SELECT profile_id FROM identity_link_search_pending WHERE instr(lower(value), ?) > 0";
    }

    /** A phrase of the text (with the trigram tokenizer, the rows holding it as a substring), and the text lowered. */
    @Override
    public List<Object> searchTerms(String text) {
        return List.of('"' + text.replace("\"", "\"\"") + '"', text.toLowerCase(Locale.ROOT));
    }

    @Override
    public PreparedStatement linkedProfiles(Connection c, String ws, String type, List<String> values) throws SQLException {
        return bound(c, "SELECT profile_id FROM identity_links WHERE workspace_id = ? AND type = ? AND value IN (" + marks(values.size()) + ")",
                List.of(ws, type), values);
    }

    @Override
    public PreparedStatement clustersOf(Connection c, List<String> profileIds) throws SQLException {
        return bound(c, "SELECT id, workspace_id, created_seq, created_at, merged_into, canonical_id FROM identity_profiles"
                + " WHERE canonical_id IN (SELECT canonical_id FROM identity_profiles WHERE id IN (" + marks(profileIds.size()) + "))",
                List.of(), profileIds);
    }

    @Override
    public PreparedStatement linksOf(Connection c, List<String> profileIds) throws SQLException {
        return bound(c, "SELECT workspace_id, type, value, profile_id, last_seen_at FROM identity_links"
                + " WHERE profile_id IN (" + marks(profileIds.size()) + ")", List.of(), profileIds);
    }

    @Override
    public PreparedStatement ofProfiles(Connection c, String table, String columns, String ws, List<String> canonicalIds,
                                        String condition, long... params) throws SQLException {
        return Rows.prepare(c, "SELECT canonical_id, " + columns + " FROM " + table + " WHERE workspace_id = ?"
                + " AND canonical_id IN (" + marks(canonicalIds.size()) + ") " + condition, ps -> {
            bind(ps, List.of(ws), canonicalIds);
            for (int i = 0; i < params.length; i++) ps.setLong(2 + canonicalIds.size() + i, params[i]);
        });
    }

    @Override
    public Optional<BulkLastSeen> bulkLastSeen() {
        return Optional.empty();
    }

    private static PreparedStatement bound(Connection c, String sql, List<String> first, List<String> values) throws SQLException {
        return Rows.prepare(c, sql, ps -> bind(ps, first, values));
    }

    private static void bind(PreparedStatement ps, List<String> first, List<String> values) throws SQLException {
        int i = 1;
        for (String v : first) ps.setString(i++, v);
        for (String v : values) ps.setString(i++, v);
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
