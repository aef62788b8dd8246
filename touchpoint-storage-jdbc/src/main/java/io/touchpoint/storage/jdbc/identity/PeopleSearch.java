package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.storage.jdbc.identity.PeopleReads.Found;
import io.touchpoint.storage.jdbc.sql.SqlDialect;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The people search: the people list narrowed to the canonical profiles with a link whose value contains a text
 * (case-insensitive), in the list's order and paging. A text of 3 characters or more that at most
 * {@link #CANDIDATES} links contain is looked up in the links' trigram index ({@link SqlDialect#linksContaining}),
 * and the page is the list's range over the profiles found. A shorter text has no trigram, and a text in more links
 * is common enough that recent people hold it soon: both walk the list from the cursor, testing each person's links,
 * and stop after {@link #WALK} people, so that a page costs a bounded time; such a page may hold fewer people than
 * asked, with a next cursor where the walk stopped.
 */
final class PeopleSearch {
    /** The most links a text found in the trigram index may match for the page to be read from them. */
    static final int CANDIDATES = 10_000;
    /** The most people a page's walk tests. */
    static final int WALK = 5_000;

    private PeopleSearch() {
    }

    static Found find(StatementCache st, SqlDialect dialect, String ws, String text, int limit, String cursor)
            throws SQLException {
        if (text.codePointCount(0, text.length()) >= 3) {
            List<Object> terms = dialect.searchTerms(text);
            List<Object> counted = new ArrayList<>(terms);
            counted.add(CANDIDATES + 1);
            long links = st.list("SELECT COUNT(*) FROM (" + dialect.linksContaining() + " LIMIT ?) found",
                    rs -> rs.getLong(1), counted.toArray()).getFirst();
            if (links <= CANDIDATES) {
                List<Object> params = new ArrayList<>(terms);
                params.add(ws);
                // the few people found by key, then sorted: along the list's index SQLite would test every person.
                // CROSS JOIN keeps the found links outside (SQLite takes the order as written): not knowing how few
                // the index finds, its planner read every profile instead, 50–150 ms at 500,000 people
                return PeopleReads.range(st, dialect.notIndexed("workspace_id"), ws, " AND canonical_id IN (SELECT p.canonical_id FROM ("
                        + dialect.linksContaining() + ") found CROSS JOIN identity_profiles p WHERE p.id = found.profile_id"
                        + " AND p.workspace_id = ?)", params, limit, cursor);
            }
        }
        return walk(st, ws, text, limit, cursor);
    }

    private static Found walk(StatementCache st, String ws, String text, int limit, String cursor) throws SQLException {
        String pattern = "%" + text.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        List<Object> params = new ArrayList<>(List.of(pattern, ws));
        // the person's links by profile, along the links' (profile, …) key
        StringBuilder sql = new StringBuilder("SELECT canonical_id, first_seen_at, last_seen_at, EXISTS (SELECT 1"
                + " FROM identity_profiles p JOIN identity_links l ON l.profile_id = p.id WHERE p.canonical_id = x.canonical_id"
                + " AND lower(l.value) LIKE ? ESCAPE '!') FROM identity_people x WHERE workspace_id = ?");
        PeopleReads.afterCursor(sql, params, cursor);
        sql.append(" ORDER BY last_seen_at DESC, canonical_id LIMIT ?");
        params.add(WALK);
        List<Object[]> hits = new ArrayList<>();
        Object[] walked = null;
        int count = 0;
        // read row by row: the walk ends at the row that shows a next page exists
        try (ResultSet rs = st.get(sql.toString(), params.toArray()).executeQuery()) {
            while (hits.size() <= limit && rs.next()) {
                walked = PeopleReads.row(rs);
                count++;
                if (rs.getBoolean(4)) hits.add(walked);
            }
        }
        if (hits.size() > limit) {
            List<Object[]> page = hits.subList(0, limit);
            return new Found(page, PeopleReads.cursorOf(page.getLast()));
        }
        return new Found(hits, count == WALK ? PeopleReads.cursorOf(walked) : null);
    }
}
