package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Kafka mode's check that an identity batch resolved against the graph as it still is: each workspace's graph has a
 * version ({@code identity_workspace_versions}) that every writer of it moves on by one in its transaction. A batch
 * reads the versions of its workspaces before their graph, and its write claims them, in workspace order, only if
 * still at what it read; otherwise another process's step, an unmerge or an erasure came between, and the batch is
 * read again. Steps of different workspaces never conflict, and the row each claim locks until its commit makes two
 * steps of one workspace take turns (the second then finds the version moved). It also tells which versions the
 * identity stage's held graph is of, so that it never resolves against a copy another process has changed since.
 */
final class WorkspaceVersions {
    /** The version of each workspace's graph the held graph is of. */
    private final Map<String, Long> held = new HashMap<>();

    /**
     * Adds the versions of the events' workspaces not in {@code read} yet to it (0 for a workspace never written); false
     * when the held graph is of another version of one of them, and must be cleared before the graph is read.
     */
    boolean read(Connection c, List<IdentityEvent> events, SortedMap<String, Long> read) throws SQLException {
        Set<String> fresh = new TreeSet<>();
        for (IdentityEvent e : events) if (!read.containsKey(e.workspaceId())) fresh.add(e.workspaceId());
        if (fresh.isEmpty()) return true;
        Map<String, Long> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT workspace_id, version FROM identity_workspace_versions"
                + " WHERE workspace_id IN (" + String.join(", ", Collections.nCopies(fresh.size(), "?")) + ")")) {
            Rows.setParams(ps, new ArrayList<>(fresh).toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.put(rs.getString(1), rs.getLong(2));
            }
        }
        boolean current = true;
        for (String ws : fresh) {
            long version = found.getOrDefault(ws, 0L);
            read.put(ws, version);
            Long copy = held.get(ws);
            if (copy != null && copy != version) current = false;
        }
        if (!current) held.clear();
        return current;
    }

    /** On the write transaction: moves each workspace's version on from the one read, in workspace order, or fails. */
    void claim(Connection c, SortedMap<String, Long> read) throws SQLException {
        for (Map.Entry<String, Long> w : read.entrySet()) {
            if (w.getValue() == 0) {
                Rows.update(c, "INSERT INTO identity_workspace_versions (workspace_id, version) VALUES (?, 0)"
                        + " ON CONFLICT (workspace_id) DO NOTHING", w.getKey());
            }
            if (Rows.update(c, "UPDATE identity_workspace_versions SET version = version + 1 WHERE workspace_id = ? AND version = ?",
                    w.getKey(), w.getValue()) != 1) {
                throw new JdbcIdentityStage.CursorMoved();
            }
        }
    }

    /** After the claiming transaction committed: the held graph is of the versions it wrote. */
    void committed(SortedMap<String, Long> claimed) {
        claimed.forEach((ws, version) -> held.put(ws, version + 1));
    }

    void forget() {
        held.clear();
    }
}
