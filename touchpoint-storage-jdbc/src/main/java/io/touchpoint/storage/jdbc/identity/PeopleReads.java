package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.Page;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import io.touchpoint.storage.jdbc.sql.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The people list: canonical profiles ordered by the last sight of any of their identifiers ({@link PeopleSights}),
 * paged by that time and the profile id (a cursor "millis:profile"), with their identifiers and conversions read for
 * the page only. A search narrows it ({@link PeopleSearch}).
 */
final class PeopleReads {
    private PeopleReads() {
    }

    /** A page's people (canonical_id, first_seen_at, last_seen_at), and the cursor of the next page (null: none). */
    record Found(List<Object[]> rows, String nextCursor) {
    }

    static Page<PersonSummary> read(Connection c, SqlDialect dialect, String ws, String search, int limit, String cursor)
            throws SQLException {
        try (StatementCache st = new StatementCache(c)) {
            Found found = search == null || search.isBlank() ? range(st, "workspace_id", ws, "", List.of(), limit, cursor)
                    : PeopleSearch.find(st, dialect, ws, search.strip(), limit, cursor);
            return summaries(st, dialect, ws, found);
        }
    }

    /**
     * The page after {@code cursor} of the people list narrowed by {@code condition} ("" or {@code AND …} with a
     * {@code ?} for each of {@code conditionParams}). With {@code wsColumn} the plain column, a range of the index on
     * (workspace, last sight desc, profile): the page's rows and no others.
     */
    static Found range(StatementCache st, String wsColumn, String ws, String condition, List<Object> conditionParams,
                       int limit, String cursor) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(ws));
        params.addAll(conditionParams);
        StringBuilder sql = new StringBuilder("SELECT canonical_id, first_seen_at, last_seen_at FROM identity_people"
                + " WHERE " + wsColumn + " = ?" + condition);
        afterCursor(sql, params, cursor);
        sql.append(" ORDER BY last_seen_at DESC, canonical_id LIMIT ?");
        params.add(limit + 1);
        List<Object[]> rows = st.list(sql.toString(), PeopleReads::row, params.toArray());
        boolean more = rows.size() > limit;
        if (more) rows = rows.subList(0, limit);
        return new Found(rows, more ? cursorOf(rows.getLast()) : null);
    }

    /** Narrows {@code sql} (a query of identity_people) to the people after the cursor's, in the list's order. */
    static void afterCursor(StringBuilder sql, List<Object> params, String cursor) {
        if (cursor == null) return;
        int colon = cursor.indexOf(':');
        long at = Long.parseLong(cursor.substring(0, colon));
        sql.append(" AND (last_seen_at < ? OR (last_seen_at = ? AND canonical_id > ?))");
        params.addAll(List.of(at, at, cursor.substring(colon + 1)));
    }

    static Object[] row(ResultSet rs) throws SQLException {
        return new Object[]{rs.getString(1), rs.getLong(2), rs.getLong(3)};
    }

    /** The cursor of the page that ends at this row. */
    static String cursorOf(Object[] row) {
        return row[2] + ":" + row[0];
    }

    private static Page<PersonSummary> summaries(StatementCache st, SqlDialect dialect, String ws, Found found) throws SQLException {
        List<Object[]> rows = found.rows();
        if (rows.isEmpty()) return new Page<>(List.of(), found.nextCursor());
        List<String> ids = rows.stream().map(r -> (String) r[0]).toList();
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<String, List<Identifier>> identifiers = new HashMap<>();
        List<Object> idParams = new ArrayList<>(List.of(ws));
        idParams.addAll(ids);
        // from the page's profiles to their links by profile: a workspace condition on the links would read them all
        for (Object[] r : st.list("SELECT DISTINCT p.canonical_id, l.type, l.value FROM identity_profiles p"
                + " JOIN identity_links l ON l.profile_id = p.id WHERE p.workspace_id = ? AND p.canonical_id IN (" + in + ")"
                + " ORDER BY p.canonical_id, l.type, l.value", rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getString(3)},
                idParams.toArray())) {
            IdentifierType.fromWireName((String) r[1]).ifPresent(t ->
                    identifiers.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new Identifier(t, (String) r[2])));
        }
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Map<String, Double>> values = new HashMap<>();
        // along the profiles' index: for one profile (IN becomes =) SQLite took the covering day index, every conversion
        for (Object[] r : st.list("SELECT c.canonical_id, c.currency, COUNT(*), SUM(c.value) FROM "
                + dialect.indexedBy("attribution_conversions", "c", "attribution_conversions_canonical")
                + " WHERE c.workspace_id = ? AND c.canonical_id IN (" + in + ") GROUP BY c.canonical_id, c.currency",
                rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4)}, idParams.toArray())) {
            counts.computeIfAbsent((String) r[0], k -> new long[1])[0] += (Long) r[2];
            values.computeIfAbsent((String) r[0], k -> new LinkedHashMap<>()).merge((String) r[1], (Double) r[3], Double::sum);
        }
        List<PersonSummary> people = rows.stream().map(r -> {
            String id = (String) r[0];
            return new PersonSummary(id, Instant.ofEpochMilli((Long) r[1]), Instant.ofEpochMilli((Long) r[2]),
                    identifiers.getOrDefault(id, List.of()), counts.getOrDefault(id, new long[1])[0], values.getOrDefault(id, Map.of()));
        }).toList();
        return new Page<>(people, found.nextCursor());
    }
}
