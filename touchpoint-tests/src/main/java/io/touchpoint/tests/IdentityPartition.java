package io.touchpoint.tests;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The identity graph of a workspace as a store's tables hold it: canonical profile → its identifiers as
 * {@code type:value}, for comparing whole graphs in tests and benchmarks. Read straight from the tables, so that no
 * production contract carries a method only tests call.
 */
public final class IdentityPartition {
    private IdentityPartition() {
    }

    /** Reads the partition on an open connection to the store's database. */
    public static Map<String, Set<String>> read(Connection c, String workspaceId) throws SQLException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.canonical_id, l.type, l.value FROM identity_links l"
                + " JOIN identity_profiles p ON p.id = l.profile_id WHERE l.workspace_id = ?")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2) + ":" + rs.getString(3));
            }
        }
        return out;
    }

    /** The partition of a database at a JDBC URL (a PostgreSQL test schema, say). */
    public static Map<String, Set<String>> of(String jdbcUrl, String workspaceId) {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            return read(c, workspaceId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the identity graph: " + e.getMessage(), e);
        }
    }

    /** The partition of an SQLite store's database file. */
    public static Map<String, Set<String>> ofSqlite(Path file, String workspaceId) {
        return of("jdbc:sqlite:" + file, workspaceId);
    }
}
