package io.touchpoint.storage.postgres;

import io.touchpoint.storage.jdbc.sql.LinkRefresh;
import org.postgresql.PGConnection;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.SqlDialect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL's SQL: its planner has statistics and takes tables and columns as they are, it locks the rows a
 * transaction reads to change ({@code FOR UPDATE}), and it takes arrays, so many keys go in one parameter, each
 * looked up by a search of its own.
 */
final class PostgresDialect implements SqlDialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String primaryKeyScan(String table) {
        return table;
    }

    @Override
    public String keyRange(String table, String alias) {
        return "generate_series(?::bigint + 1, ?::bigint) AS " + alias + "_key(seq) CROSS JOIN LATERAL (SELECT * FROM "
                + table + " WHERE seq = " + alias + "_key.seq OFFSET 0) " + alias + " WHERE TRUE";
    }

    @Override
    public String notIndexed(String column) {
        return column;
    }

    @Override
    public String indexedBy(String table, String alias, String index) {
        return table + " " + alias;
    }

    @Override
    public String forUpdate() {
        return " FOR UPDATE";
    }

    /** The key of the transaction-scoped lock that orders ingest commits (any number no other lock here uses). */
    static final long COMMIT_ORDER_LOCK = 7265818;
    /** The advisory lock that makes identity steps add merges in id order, apart from ingest's. */
    static final long MERGE_ORDER_LOCK = 7265819;

    @Override
    public void lockCommitOrder(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + COMMIT_ORDER_LOCK + ")");
        }
    }

    @Override
    public void lockMergeOrder(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + MERGE_ORDER_LOCK + ")");
        }
    }

    @Override
    public String contains(String column) {
        return "strpos(" + column + ", ?) > 0";
    }

    /** LIKE's own escape character (backslash), so that pg_trgm reads the pattern's trigrams from it whatever the plan. */
    @Override
    public String linksContaining() {
        return "SELECT profile_id FROM identity_links WHERE lower(value) LIKE ?";
    }

    @Override
    public List<Object> searchTerms(String text) {
        return List.of("%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }

    static final String REFRESH_LAST_SEEN_SQL = "UPDATE identity_links l SET last_seen_at = v.last_seen_at"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS v(workspace_id, type, value, profile_id, last_seen_at)"
            + " WHERE l.workspace_id = v.workspace_id AND l.type = v.type AND l.value = v.value AND l.profile_id = v.profile_id";

    /**
     * One statement for the part, each link found by one search of its key. The joins are held to nested loops for
     * it: planned on statistics taken while the table was nearly empty, PostgreSQL otherwise hashes every link in the
     * table for a few thousand (docs/BENCHMARKS.md).
     */
    void refreshLastSeen(Connection c, List<LinkRefresh> links) throws SQLException {
        int n = links.size();
        Object[] ws = new Object[n], types = new Object[n], values = new Object[n], profiles = new Object[n], times = new Object[n];
        for (int i = 0; i < n; i++) {
            LinkRefresh l = links.get(i);
            ws[i] = l.ws();
            types[i] = l.type();
            values[i] = l.value();
            profiles[i] = l.profileId();
            times[i] = l.lastSeen();
        }
        try (Statement s = c.createStatement()) {
            s.execute(ONLY_NESTED_LOOPS);
            try (PreparedStatement ps = c.prepareStatement(REFRESH_LAST_SEEN_SQL)) {
                ps.setArray(1, c.createArrayOf("text", ws));
                ps.setArray(2, c.createArrayOf("text", types));
                ps.setArray(3, c.createArrayOf("text", values));
                ps.setArray(4, c.createArrayOf("text", profiles));
                ps.setArray(5, c.createArrayOf("bigint", times));
                ps.executeUpdate();
            }
            s.execute("SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT");
        }
    }

    static final String ONLY_NESTED_LOOPS = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off";

    /**
     * For each value of the array in the first parameter, {@code perValue} with {@code v.value} as that value: OFFSET 0
     * keeps it a subquery, run once per value with its equalities on an index, whatever the statistics say.
     */
    private static String eachOf(String perValue) {
        return "unnest(?::text[]) AS v(value) CROSS JOIN LATERAL (" + perValue + " OFFSET 0)";
    }

    static final String LINKED_PROFILES_SQL = "SELECT l.profile_id FROM "
            + eachOf("SELECT profile_id FROM identity_links WHERE workspace_id = ? AND type = ? AND value = v.value") + " l";

    static final String CLUSTERS_OF_SQL = "SELECT p.id, p.workspace_id, p.created_seq, p.created_at, p.merged_into, p.canonical_id"
            + " FROM (SELECT DISTINCT s.canonical_id FROM " + eachOf("SELECT canonical_id FROM identity_profiles WHERE id = v.value") + " s) k"
            + " CROSS JOIN LATERAL (SELECT * FROM identity_profiles WHERE canonical_id = k.canonical_id OFFSET 0) p";

    static final String LINKS_OF_SQL = "SELECT l.workspace_id, l.type, l.value, l.profile_id, l.last_seen_at FROM "
            + eachOf("SELECT workspace_id, type, value, profile_id, last_seen_at FROM identity_links WHERE profile_id = v.value") + " l";

    @Override
    public PreparedStatement linkedProfiles(Connection c, String ws, String type, List<String> values) throws SQLException {
        return overArray(c, LINKED_PROFILES_SQL, values, ws, type);
    }

    @Override
    public PreparedStatement clustersOf(Connection c, List<String> profileIds) throws SQLException {
        return overArray(c, CLUSTERS_OF_SQL, profileIds);
    }

    @Override
    public PreparedStatement linksOf(Connection c, List<String> profileIds) throws SQLException {
        return overArray(c, LINKS_OF_SQL, profileIds);
    }

    /** Each profile's rows by a search of its own, as {@link #linkedProfiles}: an IN list may be planned as a scan. */
    @Override
    public PreparedStatement ofProfiles(Connection c, String table, String columns, String ws, List<String> canonicalIds,
                                        String condition, long... params) throws SQLException {
        return Rows.prepare(c, ofProfilesSql(table, columns, condition), ps -> {
            bindArray(c, ps, canonicalIds, ws);
            for (int i = 0; i < params.length; i++) ps.setLong(3 + i, params[i]);
        });
    }

    static String ofProfilesSql(String table, String columns, String condition) {
        return "SELECT v.value AS canonical_id, r.* FROM "
                + eachOf("SELECT " + columns + " FROM " + table + " WHERE workspace_id = ? AND canonical_id = v.value " + condition) + " r";
    }

    private static PreparedStatement overArray(Connection c, String sql, List<String> values, String... then) throws SQLException {
        return Rows.prepare(c, sql, ps -> bindArray(c, ps, values, then));
    }

    private static void bindArray(Connection c, PreparedStatement ps, List<String> values, String... then) throws SQLException {
        ps.setArray(1, c.createArrayOf("text", values.toArray()));
        for (int i = 0; i < then.length; i++) ps.setString(i + 2, then[i]);
    }

    @Override
    public Optional<BulkLastSeen> bulkLastSeen() {
        return Optional.of(this::refreshLastSeen);
    }

    /** One COPY for all the rows: the server parses no statement per row and the driver binds no parameter per value. */
    @Override
    public void insertRows(Connection c, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) return;
        byte[] data = copyText(rows).getBytes(StandardCharsets.UTF_8);
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + String.join(", ", columns)
                    + ") FROM STDIN", new ByteArrayInputStream(data), data.length);
        } catch (IOException e) { // the driver reports what the server refuses as SQLException: this is the rows unread
            throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
        }
    }

    /** Rows in COPY's text format: tab between values, a newline after each row, \N for null. */
    static String copyText(List<Object[]> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 256);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) out.append('\t');
                Object v = row[i];
                if (v == null) out.append("\\N");
                else if (v instanceof String text) escape(out, text);
                else if (v instanceof Instant t) out.append(t.toEpochMilli());
                else if (v instanceof Number || v instanceof Boolean) out.append(v);
                else throw new IllegalArgumentException("no COPY text for a " + v.getClass().getSimpleName());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Appends {@code text} with COPY's escapes; the runs between characters that need one go in whole. */
    private static void escape(StringBuilder out, String text) {
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            String escaped = switch (text.charAt(i)) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            if (escaped == null) continue;
            out.append(text, from, i).append(escaped);
            from = i + 1;
        }
        out.append(text, from, text.length());
    }

    static final String EVENT_IDS_WITH_KEYS_SQL = "SELECT k.i, e.id FROM unnest(?::text[], ?::text[]) WITH ORDINALITY"
            + " AS k(workspace_id, idempotency_key, i) CROSS JOIN LATERAL (SELECT id FROM events"
            + " WHERE workspace_id = k.workspace_id AND idempotency_key = k.idempotency_key OFFSET 0) e";

    /** Every key in one statement, each found by a search of the idempotency index (see {@link #eachOf}). */
    @Override
    public List<String> eventIdsWithKeys(Connection c, List<String> workspaceIds, List<String> keys) throws SQLException {
        String[] ids = new String[keys.size()];
        try (PreparedStatement ps = c.prepareStatement(EVENT_IDS_WITH_KEYS_SQL)) {
            ps.setArray(1, c.createArrayOf("text", workspaceIds.toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids[(int) rs.getLong(1) - 1] = rs.getString(2);
            }
        }
        return new ArrayList<>(Arrays.asList(ids));
    }
}
