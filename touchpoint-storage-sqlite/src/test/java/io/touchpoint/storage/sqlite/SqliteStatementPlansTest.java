package io.touchpoint.storage.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Statements a processor runs on every batch: each must be a search of an index, not a read of a whole table. */
class SqliteStatementPlansTest {
    @TempDir
    Path dir;

    @Test
    void theAttributionStageFindsMergesUndoneSinceItsCursorWithoutReadingTheMergeLog() throws SQLException {
        SqliteStore.inFolder(dir).close(); // the schema
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
            // AttributionStage.batch's statement
            String plan = plan(c, "SELECT undone_at, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undone_at > 1");
            assertThat(plan).contains("SEARCH identity_merges USING INDEX identity_merges_undone (undone_at>?)");
            assertThat(plan).doesNotContain("SCAN");
        }
    }

    private static String plan(Connection c, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) out.append(rs.getString("detail")).append('\n');
        }
        return out.toString();
    }
}
