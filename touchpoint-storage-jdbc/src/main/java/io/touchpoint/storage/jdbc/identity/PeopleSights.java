package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.storage.jdbc.identity.GraphRowWriter.ChunkedRows;
import io.touchpoint.storage.jdbc.identity.GraphRowWriter.LinkRow;
import io.touchpoint.storage.jdbc.identity.GraphRowWriter.PendingRows;
import io.touchpoint.storage.jdbc.identity.GraphRowWriter.ProfileRow;
import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The first and last sight of each canonical profile (table identity_people), which the people list pages through by
 * an index on (workspace, last sight desc, profile). Links only gain sights, so the identity stage keeps a row as the
 * earliest and latest time of what it writes; a merge folds the absorbed profile's row into the survivor's.
 */
final class PeopleSights {
    private static final String KEEP_EARLIEST_AND_LATEST = " ON CONFLICT (canonical_id) DO UPDATE SET"
            + " first_seen_at = CASE WHEN excluded.first_seen_at < identity_people.first_seen_at"
            + " THEN excluded.first_seen_at ELSE identity_people.first_seen_at END,"
            + " last_seen_at = CASE WHEN excluded.last_seen_at > identity_people.last_seen_at"
            + " THEN excluded.last_seen_at ELSE identity_people.last_seen_at END";
    /** A profile that stopped being canonical hands its sights to its canonical profile. */
    private static final String FOLD = "INSERT INTO identity_people (canonical_id, workspace_id, first_seen_at, last_seen_at)"
            + " SELECT ?, workspace_id, first_seen_at, last_seen_at FROM identity_people WHERE canonical_id = ?" + KEEP_EARLIEST_AND_LATEST;
    /** The links written for one profile, as one span, go to that profile's canonical profile. */
    private static final String SEEN = "INSERT INTO identity_people (canonical_id, workspace_id, first_seen_at, last_seen_at)"
            + " SELECT canonical_id, workspace_id, ?, ? FROM identity_profiles WHERE id = ?" + KEEP_EARLIEST_AND_LATEST;

    private PeopleSights() {
    }

    /** Keeps the sights true to rows the identity stage is writing (profiles before links, on its transaction). */
    static void write(Connection c, PendingRows rows, BooleanSupplier giveWay) throws SQLException {
        try (ChunkedRows fold = new ChunkedRows(c, FOLD, giveWay);
             ChunkedRows drop = new ChunkedRows(c, "DELETE FROM identity_people WHERE canonical_id = ?", giveWay)) {
            for (ProfileRow p : rows.profiles()) {
                if (p.insert() || p.canonical().equals(p.id())) continue;
                fold.statement().setString(1, p.canonical());
                fold.statement().setString(2, p.id());
                fold.add();
                drop.statement().setString(1, p.id());
                drop.add();
            }
            // a profile's fold is sent before its delete (both chunk at the same count); folds go to canonical profiles only
            fold.finish();
            drop.finish();
        }
        // one span per profile: an event refreshes several links of one profile to one time
        Map<String, long[]> spans = new LinkedHashMap<>();
        for (LinkRow l : rows.links()) {
            long first = l.insert() ? l.firstSeen() : l.lastSeen();
            long[] span = spans.get(l.profileId());
            if (span == null) {
                spans.put(l.profileId(), new long[]{first, l.lastSeen()});
            } else {
                span[0] = Math.min(span[0], first);
                span[1] = Math.max(span[1], l.lastSeen());
            }
        }
        try (ChunkedRows seen = new ChunkedRows(c, SEEN, giveWay)) {
            PreparedStatement ps = seen.statement();
            for (Map.Entry<String, long[]> e : spans.entrySet()) {
                ps.setLong(1, e.getValue()[0]);
                ps.setLong(2, e.getValue()[1]);
                ps.setString(3, e.getKey());
                seen.add();
            }
            seen.finish();
        }
    }

    /** Sets the sights of these canonical profiles from their links (after an unmerge split them). */
    static void recompute(Connection c, Collection<String> canonicalIds) throws SQLException {
        List<String> ids = List.copyOf(new LinkedHashSet<>(canonicalIds));
        if (ids.isEmpty()) return;
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Object[] params = ids.toArray();
        Rows.update(c, "DELETE FROM identity_people WHERE canonical_id IN (" + in + ")", params);
        Rows.update(c, "INSERT INTO identity_people (canonical_id, workspace_id, first_seen_at, last_seen_at)"
                + " SELECT p.canonical_id, MIN(p.workspace_id), MIN(l.first_seen_at), MAX(l.last_seen_at)"
                + " FROM identity_profiles p JOIN identity_links l ON l.profile_id = p.id"
                + " WHERE p.canonical_id IN (" + in + ") GROUP BY p.canonical_id", params);
    }
}
