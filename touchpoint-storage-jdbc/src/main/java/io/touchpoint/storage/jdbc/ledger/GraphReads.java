package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The identity graph's tables as the rooms after identity read them: the attribution stage follows the identity
 * stage's cursor, its resolved events and its merges, and erasure finds a person's profiles. Only the identity stage,
 * unmerge and erasure write these tables.
 */
public final class GraphReads {
    private GraphReads() {
    }

    /** An event the identity stage resolved: its profile, and that profile's canonical profile. */
    public record Resolved(long seq, Event event, String profileId, String canonicalId) {
    }

    private static final String RESOLVED = "SELECT e.seq, e.body, ep.profile_id, p.canonical_id FROM events e"
            + " JOIN identity_event_profiles ep ON ep.event_id = e.id JOIN identity_profiles p ON p.id = ep.profile_id";

    /** The sequence of the last event the identity stage has resolved. */
    public static long identityCursor(StatementCache st) throws SQLException {
        return st.list("SELECT seq FROM identity_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0);
    }

    /** Resolved events after {@code after} up to {@code upTo}, at most {@code limit}, in sequence order. */
    public static List<Resolved> resolved(StatementCache st, long after, long upTo, int limit) throws SQLException {
        return st.list(RESOLVED + " WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?", GraphReads::resolved, after, upTo, limit);
    }

    /** The resolved events of every profile of one canonical profile, up to {@code upTo}. */
    public static List<Resolved> resolvedOf(StatementCache st, String canonicalId, long upTo) throws SQLException {
        return st.list(RESOLVED + " WHERE p.canonical_id = ? AND e.seq <= ?", GraphReads::resolved, canonicalId, upTo);
    }

    private static Resolved resolved(java.sql.ResultSet rs) throws SQLException {
        return new Resolved(rs.getLong(1), EventJson.read(rs.getString(2)), rs.getString(3), rs.getString(4));
    }

    /** Merges made after merge {@code afterId}, in order: {id, workspace_id, survivor_id}. */
    public static List<String[]> mergesAfter(StatementCache st, long afterId) throws SQLException {
        return st.list("SELECT id, workspace_id, survivor_id FROM identity_merges WHERE id > ? AND outcome = ? ORDER BY id",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}, afterId, Profile.MergeRecord.MERGED);
    }

    /** Merges undone after {@code afterMillis}: {undone_at, workspace_id, survivor_id, absorbed_id}. */
    public static List<String[]> undoneAfter(StatementCache st, long afterMillis) throws SQLException {
        return st.list("SELECT undone_at, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undone_at > ?",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, afterMillis);
    }

    /** The canonical profile of a profile, whichever workspace it is in. */
    public static Optional<String> canonicalOf(StatementCache st, String profileId) throws SQLException {
        return st.list("SELECT canonical_id FROM identity_profiles WHERE id = ?", rs -> rs.getString(1), profileId).stream().findFirst();
    }

    /** The workspace's canonical profile ids after {@code after} in id order, at most {@code limit}. */
    public static List<String> canonicalIdsAfter(StatementCache st, String ws, String after, int limit) throws SQLException {
        return st.list("SELECT DISTINCT canonical_id FROM identity_profiles WHERE workspace_id = ? AND canonical_id > ?"
                + " ORDER BY canonical_id LIMIT ?", rs -> rs.getString(1), ws, after, limit);
    }

    /** The canonical profile of a profile of the workspace. */
    public static Optional<String> canonicalOn(Connection c, String ws, String profileId) throws SQLException {
        List<String> r = Rows.strings(c, "SELECT canonical_id FROM identity_profiles WHERE workspace_id = ? AND id = ?", ws, profileId);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /**
     * Marks the graph changed by something other than the identity stage (unmerge, erasure, a retried event), so every
     * identity stage's cached copy of the graph is dropped.
     */
    public static void graphChanged(Connection c) throws SQLException {
        Rows.update(c, "UPDATE identity_cursor SET graph_version = graph_version + 1 WHERE id = 1");
    }
}
