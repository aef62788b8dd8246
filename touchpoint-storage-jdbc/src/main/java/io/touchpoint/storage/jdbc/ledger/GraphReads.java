package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
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

    private static final String RESOLVED_FROM = " FROM events e JOIN identity_event_profiles ep ON ep.event_id = e.id"
            + " JOIN identity_profiles p ON p.id = ep.profile_id";
    private static final String RESOLVED = "SELECT e.seq, e.body, ep.profile_id, p.canonical_id" + RESOLVED_FROM;

    /**
     * What a stage that counts events of one name read of a range: those events, how many resolved events it passed
     * over in all, and the last one's sequence number.
     */
    public record NamedScan(List<Resolved> named, int read, long lastSeq) {
    }

    /**
     * The highest sequence number up to which the identity stage has resolved every event: its cursor over events stored
     * without a log partition, and below the first unresolved event of each ingest log partition (Kafka mode, where the
     * stage follows each partition behind a position of its own). Without Kafka, no partition is known and this is the
     * cursor.
     */
    public static final String IDENTITY_FRONTIER = "SELECT MIN(f.seq) FROM (SELECT seq FROM identity_cursor WHERE id = 1"
            + " UNION ALL SELECT (SELECT MIN(e.seq) FROM events e WHERE e.log_partition = p.log_partition AND e.seq >"
            + " COALESCE((SELECT s.seq FROM stage_partition_cursors s WHERE s.stage = 'identity'"
            + " AND s.log_partition = p.log_partition), 0)) - 1 AS seq"
            + " FROM (SELECT DISTINCT log_partition FROM ingest_log_positions) p) f";

    /** Every event up to this sequence number is resolved ({@link #IDENTITY_FRONTIER}). */
    public static long identityCursor(StatementCache st) throws SQLException {
        return st.list(IDENTITY_FRONTIER, rs -> rs.getLong(1)).get(0);
    }

    /** Resolved events after {@code after} up to {@code upTo}, at most {@code limit}, in sequence order. */
    public static List<Resolved> resolved(StatementCache st, long after, long upTo, int limit) throws SQLException {
        return st.list(RESOLVED + " WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?", GraphReads::resolved, after, upTo, limit);
    }

    /**
     * As {@link #resolved}, with only the bodies of the events of this name read and parsed: the others are passed over
     * by their sequence number.
     */
    public static NamedScan resolvedNamed(StatementCache st, String name, long after, long upTo, int limit) throws SQLException {
        List<Resolved> named = new ArrayList<>();
        long[] last = {after};
        int read = st.list("SELECT e.seq, CASE WHEN e.name = ? THEN e.body END, ep.profile_id, p.canonical_id" + RESOLVED_FROM
                + " WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?", rs -> {
            last[0] = rs.getLong(1);
            String body = rs.getString(2);
            if (body != null) named.add(new Resolved(last[0], EventJson.read(body), rs.getString(3), rs.getString(4)));
            return last[0];
        }, name, after, upTo, limit).size();
        return new NamedScan(named, read, last[0]);
    }

    /**
     * As {@link #resolved}, of the events of one ingest log partition, or (null) of those stored without a partition:
     * a track of a stage Kafka mode runs by partition.
     */
    public static List<Resolved> resolvedOn(StatementCache st, Integer partition, long after, long upTo, int limit) throws SQLException {
        String where = RESOLVED + " WHERE e.seq > ? AND e.seq <= ? AND e.log_partition ";
        if (partition == null) return st.list(where + "IS NULL ORDER BY e.seq LIMIT ?", GraphReads::resolved, after, upTo, limit);
        return st.list(where + "= ? ORDER BY e.seq LIMIT ?", GraphReads::resolved, after, upTo, partition, limit);
    }

    /**
     * Every event of one track up to this sequence number is resolved: the identity stage's position in the partition,
     * or (null) its global cursor, which in Kafka mode follows the events stored without a partition. Null for a
     * partition without a position yet.
     */
    public static Long identityPosition(StatementCache st, Integer partition) throws SQLException {
        List<Long> seq = partition == null ? st.list("SELECT seq FROM identity_cursor WHERE id = 1", rs -> rs.getLong(1))
                : st.list("SELECT seq FROM stage_partition_cursors WHERE stage = 'identity' AND log_partition = ?", rs -> rs.getLong(1),
                partition);
        return seq.isEmpty() ? null : seq.get(0);
    }

    /** The resolved events of every profile of one canonical profile, up to {@code upTo}. */
    public static List<Resolved> resolvedOf(StatementCache st, String canonicalId, long upTo) throws SQLException {
        return st.list(RESOLVED + " WHERE p.canonical_id = ? AND e.seq <= ?", GraphReads::resolved, canonicalId, upTo);
    }

    /**
     * The resolved events of every profile of one canonical profile the attribution stage has passed in Kafka mode:
     * those without a partition up to {@code upTo}, those of a partition up to the stage's position in it.
     */
    public static List<Resolved> attributedOf(StatementCache st, String canonicalId, long upTo) throws SQLException {
        return st.list(RESOLVED + " WHERE p.canonical_id = ? AND (e.log_partition IS NULL AND e.seq <= ? OR e.seq <= (SELECT s.seq"
                + " FROM stage_partition_cursors s WHERE s.stage = 'attribution' AND s.log_partition = e.log_partition))",
                GraphReads::resolved, canonicalId, upTo);
    }

    private static Resolved resolved(java.sql.ResultSet rs) throws SQLException {
        return new Resolved(rs.getLong(1), EventJson.read(rs.getString(2)), rs.getString(3), rs.getString(4));
    }

    /** Merges made after merge {@code afterId}, in order: {id, workspace_id, survivor_id}. */
    public static List<String[]> mergesAfter(StatementCache st, long afterId) throws SQLException {
        return st.list("SELECT id, workspace_id, survivor_id FROM identity_merges WHERE id > ? AND outcome = ? ORDER BY id",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}, afterId, Profile.MergeRecord.MERGED);
    }

    /** Merges undone after number {@code afterSeq} of the undone merges' sequence: {undo_seq, workspace_id, survivor_id, absorbed_id}. */
    public static List<String[]> undoneAfter(StatementCache st, long afterSeq) throws SQLException {
        return st.list("SELECT undo_seq, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undo_seq > ?"
                + " ORDER BY undo_seq", rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, afterSeq);
    }

    /**
     * The next number of the undone merges' sequence, which the attribution stage follows. Taken after
     * {@link #graphChanged}: the global version's row it updates stays locked to the commit, so unmerges take turns
     * from their first statement to their commit and their numbers become visible in order (on SQLite the writer is
     * single anyway), whatever the clocks of the processes that make them.
     */
    public static long nextUndoSeq(Connection c) throws SQLException {
        List<String> last = Rows.strings(c, "SELECT undo_seq FROM identity_merges WHERE undo_seq IS NOT NULL"
                + " ORDER BY undo_seq DESC LIMIT 1");
        return last.isEmpty() ? 1 : Long.parseLong(last.get(0)) + 1;
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
     * Marks the graph of a workspace changed by something other than the identity stage's batches (unmerge, erasure, a
     * retried event), so every identity stage's cached copy of it is dropped and a batch that read it before cannot
     * commit. Called first in the writer's transaction: the rows it takes (the global version, then the workspace's)
     * are the ones the identity stage takes first in its own, in the same order, so neither waits on the other in turn.
     */
    public static void graphChanged(Connection c, String workspaceId) throws SQLException {
        Rows.update(c, "UPDATE identity_cursor SET graph_version = graph_version + 1 WHERE id = 1");
        Rows.update(c, "INSERT INTO identity_workspace_versions (workspace_id, version) VALUES (?, 1) ON CONFLICT (workspace_id)"
                + " DO UPDATE SET version = identity_workspace_versions.version + 1", workspaceId);
    }
}
