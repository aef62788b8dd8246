package io.touchpoint.storage.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

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
            String plan = plan(c, "SELECT undo_seq, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undo_seq > 1"
                    + " ORDER BY undo_seq");
            assertThat(plan).contains("SEARCH identity_merges USING INDEX identity_merges_undo_seq (undo_seq>?)");
            assertThat(plan).doesNotContain("SCAN").doesNotContain("TEMP B-TREE");
            // the next number an unmerge takes
            assertThat(plan(c, "SELECT undo_seq FROM identity_merges WHERE undo_seq IS NOT NULL ORDER BY undo_seq DESC LIMIT 1"))
                    .contains("identity_merges_undo_seq").doesNotContain("TEMP B-TREE");
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
            // OutboxRows.oldestOpenAt: one seek per status for the least id
            assertThat(plan(c, "SELECT MIN(id) AS id FROM delivery_outbox WHERE destination_id = 'd' AND status = 'pending'"))
                    .contains("delivery_outbox_status (destination_id=? AND status=?)").doesNotContain("SCAN");
            // EnrichmentReads: the profiles' clusters, each profile's latest events, and the events each found by its id
            String cluster = plan(c, "SELECT p.workspace_id, p.id, q.id FROM identity_profiles p JOIN identity_profiles q"
                    + " ON q.canonical_id = p.canonical_id AND q.workspace_id = p.workspace_id WHERE p.id IN ('a', 'b')");
            assertThat(cluster).contains("identity_profiles_canonical (canonical_id=?)");
            assertThat(cluster).doesNotContain("SCAN");
            String latest = plan(c, "SELECT * FROM (SELECT profile_id, seq, event_id FROM identity_event_profiles"
                    + " WHERE profile_id = 'a' AND seq <= 9 ORDER BY seq DESC LIMIT 16) AS latest0 UNION ALL SELECT * FROM"
                    + " (SELECT profile_id, seq, event_id FROM identity_event_profiles WHERE profile_id = 'b' AND seq <= 9"
                    + " ORDER BY seq DESC LIMIT 16) AS latest1");
            assertThat(latest).contains("identity_event_profiles_profile (profile_id=? AND seq<?)");
            assertThat(latest).doesNotContain("SCAN identity_event_profiles").doesNotContain("TEMP B-TREE");
            assertThat(plan(c, "SELECT id, seq, event_time, workspace_id, body FROM events WHERE id IN ('a', 'b')"))
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

    @Test
    void anIdentifierSearchOfTheEventsLogReadsOneRangeOfItsIndexAndTheEntriesAfterTheIndexersCursor() throws SQLException {
        SqliteStore.inFolder(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
            // JdbcEventLogStore.byIdentifier's statement, a page after a cursor
            String plan = plan(c, "SELECT l.seq, l.received_at, l.payload FROM event_log_identifiers i JOIN event_log l ON l.seq = i.seq"
                    + " WHERE i.workspace_id = 'w' AND i.type = 'phone' AND i.value = '1' AND i.seq <= 7 AND l.outcome = 'accepted'"
                    + " AND i.received_at <= 5 AND (i.received_at < 5 OR i.seq < 9)"
                    + " UNION ALL SELECT l.seq, l.received_at, l.payload FROM "
                    + SqliteDialect.INSTANCE.keyRange("event_log", "l").replace("?", "%d").formatted(7, 20)
                    + " AND l.identifiers IS NOT NULL"
                    + " AND l.workspace_id = 'w' AND instr(l.identifiers, 'x') > 0 AND l.outcome = 'accepted'"
                    + " AND l.received_at <= 5 AND (l.received_at < 5 OR l.seq < 9)"
                    + " ORDER BY received_at DESC, seq DESC LIMIT 51");
            assertThat(plan).contains("SEARCH i USING PRIMARY KEY (workspace_id=? AND type=? AND value=? AND received_at<?)");
            assertThat(plan).contains("SEARCH l USING INTEGER PRIMARY KEY (rowid=?)");
            assertThat(plan).contains("SEARCH l USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)");
            assertThat(plan).doesNotContain("event_log_workspace").doesNotContain("event_log_time");
            // the log indexer's step: the pending entries, oldest first
            String step = plan(c, "SELECT seq, workspace_id, received_at, identifiers FROM event_log WHERE seq > 5"
                    + " AND seq <= 9 ORDER BY seq LIMIT 1000");
            assertThat(step).contains("SEARCH event_log USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)").doesNotContain("TEMP B-TREE");
            // a report's staleness: the changed days of its range
            assertThat(plan(c, "SELECT COALESCE(MAX(version), 0) FROM attribution_changes WHERE workspace_id = 'w'"
                    + " AND day >= '2026-01-01' AND day <= '2026-01-31'"))
                    .contains("SEARCH attribution_changes USING PRIMARY KEY (workspace_id=? AND day>? AND day<?)");
        }
    }

    /**
     * PeopleSearch.find's page: the profiles of the links the trigram index found, read by key. With statistics that
     * say the workspace has many profiles, SQLite's planner otherwise reads every profile against the found links.
     */
    @Test
    void aSearchsPageReadsTheProfilesOfTheFoundLinksByKey() throws SQLException {
        SqliteStore.inFolder(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("ATTACH DATABASE '" + SqliteDatabase.searchFile(dir.resolve(SqliteStore.FILE_NAME)) + "' AS search");
            s.execute("ANALYZE identity_profiles");
            s.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'identity_profiles'");
            s.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('identity_profiles', NULL, '500000'),"
                    + " ('identity_profiles', 'sqlite_autoindex_identity_profiles_1', '500000 1'),"
                    + " ('identity_profiles', 'identity_profiles_canonical', '500000 2')");
            s.execute("ANALYZE sqlite_schema"); // the statistics read again
            String page = plan(c, "SELECT canonical_id, first_seen_at, last_seen_at FROM identity_people WHERE +workspace_id = 'w'"
                    + " AND canonical_id IN (SELECT p.canonical_id FROM (" + SqliteDialect.INSTANCE.linksContaining().replace("?", "'x'")
                    + ") found CROSS JOIN identity_profiles p WHERE p.id = found.profile_id AND p.workspace_id = 'w')"
                    + " ORDER BY last_seen_at DESC, canonical_id LIMIT 51");
            assertThat(page).contains("SCAN found").containsPattern("SEARCH p USING (INDEX|PRIMARY KEY)");
            assertThat(page).doesNotContain("SCAN p");
        }
    }

    @Test
    void theDeliveryPurgeReadsTheOutboxByKeyOnly() throws SQLException {
        SqliteStore.inFolder(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
            // LedgerRetention: the ends of the key, the binary search's probes, and one batch along the key
            assertThat(plan(c, "SELECT MIN(id), MAX(id) FROM delivery_outbox")).as("why the ends are read one at a time")
                    .contains("SCAN");
            for (String sql : List.of("SELECT MIN(id) FROM delivery_outbox", "SELECT MAX(id) FROM delivery_outbox",
                    "SELECT created_at FROM delivery_outbox WHERE id >= 5 ORDER BY id LIMIT 1",
                    "SELECT id, payload_id FROM delivery_outbox WHERE id <= 9 AND status IN ('sent', 'skipped', 'dead')"
                            + " AND updated_at < 5 ORDER BY id LIMIT 500")) {
                assertThat(plan(c, sql)).as(sql).doesNotContain("SCAN").doesNotContain("TEMP B-TREE");
            }
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
