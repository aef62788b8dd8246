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

/** Statements run on every batch or poll: each must be a search of an index, not a read of a whole table. */
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

    @Test
    void sendersAndTheBacklogMetricReadOnlyOpenOutboxEntries() throws SQLException {
        SqliteStore.inFolder(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
            // OutboxRows.due, nextDue and openCount: the partial index of open entries, or the status index's open ranges
            String due = plan(c, "SELECT id FROM delivery_outbox WHERE destination_id = 'd' AND status IN ('pending', 'retrying')"
                    + " AND next_attempt_at <= 5 ORDER BY next_attempt_at, id LIMIT 10");
            assertThat(due).contains("USING INDEX delivery_outbox_due (destination_id=? AND next_attempt_at<?)");
            assertThat(due).doesNotContain("TEMP B-TREE");
            assertThat(plan(c, "SELECT MIN(next_attempt_at) FROM delivery_outbox WHERE destination_id = 'd'"
                    + " AND status IN ('pending', 'retrying')")).contains("USING INDEX delivery_outbox_due (destination_id=?)");
            String open = plan(c, "SELECT COUNT(*) FROM delivery_outbox WHERE destination_id IN (SELECT id FROM destinations)"
                    + " AND status IN ('pending', 'retrying')");
            assertThat(open).contains("delivery_outbox_status (destination_id=? AND status=?)");
            assertThat(open).doesNotContain("SCAN delivery_outbox");
            // StageReads.profileEvents: the events enrichment reads, each found by its id
            assertThat(plan(c, "SELECT seq, event_time, body, workspace_id FROM events WHERE id IN ('a', 'b')"))
                    .contains("USING INDEX sqlite_autoindex_events_1 (id=?)");
        }
    }

    @Test
    void erasureSearchesTheEventsLogAlongItsPrimaryKey() throws SQLException {
        SqliteStore.inFolder(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
            // Erasure.search's statement
            String mine = "CASE WHEN COALESCE(workspace_id, 'w') = 'w' THEN payload END";
            String plan = plan(c, "SELECT seq, " + mine + ", " + mine.replace("payload", "email") + " FROM event_log NOT INDEXED"
                    + " WHERE seq > 1 AND seq <= 2 ORDER BY seq LIMIT 200");
            assertThat(plan).contains("SEARCH event_log USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)");
            assertThat(plan).doesNotContain("TEMP B-TREE");
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
