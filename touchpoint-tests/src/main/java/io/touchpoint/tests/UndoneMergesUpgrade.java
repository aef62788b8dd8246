package io.touchpoint.tests;

import io.touchpoint.core.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: merges undone before the undone merges had a sequence are numbered in the
 * order of their time (ties by id), the attribution stage's cursor counts those undone at or before its time stamp,
 * and the next unmerge takes the number after them. The caller builds the older schema, lets this write the rows,
 * opens the store (which migrates) and asks for the check with a connection to its database.
 */
public final class UndoneMergesUpgrade {
    /** The migration that gave undone merges their sequence. */
    public static final String MIGRATION = "undone_merges_in_sequence";
    private static final String WORKSPACE = "ws_undone_upgrade";

    /**
     * Merges 1 to 4 undone at 3000, 1000, 2000 and 2000, merge 5 (profile b into a) still in force, and the
     * attribution stage's cursor at 2000: it has applied merges 2, 3 and 4 being undone, not 1.
     */
    public void writeBeforeTheSequence(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO identity_profiles (id, workspace_id, created_seq, created_at, merged_into, canonical_id)"
                    + " VALUES ('prf_undone_a', '" + WORKSPACE + "', 1, 0, NULL, 'prf_undone_a'),"
                    + " ('prf_undone_b', '" + WORKSPACE + "', 2, 0, 'prf_undone_a', 'prf_undone_a')");
            s.executeUpdate("UPDATE attribution_cursor SET undone_at = 2000 WHERE id = 1");
        }
        Long[] undoneAt = {3000L, 1000L, 2000L, 2000L, null};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_merges (id, workspace_id, survivor_id, absorbed_id,"
                + " via_type, via_value, rule, outcome, event_id, merged_at, undone_at)"
                + " VALUES (?, ?, 'prf_undone_a', ?, 'email', 'a@shop.io', 'email', 'merged', 'evt_undone', 500, ?)")) {
            for (int i = 0; i < undoneAt.length; i++) {
                ps.setLong(1, i + 1);
                ps.setString(2, WORKSPACE);
                ps.setString(3, i == 4 ? "prf_undone_b" : "prf_undone_x" + i);
                if (undoneAt[i] == null) ps.setNull(4, java.sql.Types.BIGINT);
                else ps.setLong(4, undoneAt[i]);
                ps.executeUpdate();
            }
        }
    }

    /** The numbers after the upgrade, then after merge 5 is undone through the store. */
    public void assertNumberedInTheirOrder(Store store, Connection c) throws SQLException {
        assertThat(undoSeqs(c)).containsExactly(Map.entry(1L, 4L), Map.entry(2L, 1L), Map.entry(3L, 2L), Map.entry(4L, 3L),
                Map.entry(5L, 0L));
        assertThat(attributionUndoSeq(c)).isEqualTo(3);
        assertThat(store.identity().unmerge(WORKSPACE, 5)).isTrue();
        assertThat(undoSeqs(c)).containsEntry(5L, 5L);
    }

    /** Each merge's number in the undone merges' sequence, 0 for one in force. */
    private static Map<Long, Long> undoSeqs(Connection c) throws SQLException {
        Map<Long, Long> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, COALESCE(undo_seq, 0) FROM identity_merges WHERE workspace_id = '"
                     + WORKSPACE + "' ORDER BY id")) {
            while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
        }
        return out;
    }

    private static long attributionUndoSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT undo_seq FROM attribution_cursor WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
