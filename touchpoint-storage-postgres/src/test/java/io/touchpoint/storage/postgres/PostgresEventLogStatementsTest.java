package io.touchpoint.storage.postgres;

import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events log searched by an identifier, a page and a tail poll: one range of event_log_identifiers' key and each
 * entry by its (request_id, item_index), never a read of a workspace's whole log, also where the planner's statistics
 * are stale (analyzed while nearly empty, then grown).
 */
class PostgresEventLogStatementsTest {
    private static final int GROWN_BY = 100_000;
    /** The log indexer's cursor once it has copied all but the newest 300 entries (seq 1 is the first entry). */
    private static final int CURSOR = GROWN_BY - 300 + 1;
    private PostgresDatabase db;

    @BeforeEach
    void freshSchema() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        new PostgresStore(url, null, null).close(); // the schema
        db = new PostgresDatabase(url, null, null, 1);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void anIdentifierSearchReadsOneRangeOfItsIndexAndThePendingEntriesOnStaleStatistics() {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("event_log", "event_log_identifiers")) {
                    s.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)"); // statistics stay stale
                }
                s.execute("INSERT INTO event_log (request_id, item_index, workspace_id, received_at, endpoint, outcome, http_status)"
                        + " VALUES ('req_0', 0, 'ws_a', 0, '/e', 'accepted', 202)");
                s.execute("INSERT INTO event_log_identifiers VALUES ('ws_a', 'phone', '0', 0, 1)");
                s.execute("ANALYZE event_log, event_log_identifiers");
                // grown since: most entries indexed, the newest few hundred still waiting for the indexer
                s.execute("INSERT INTO event_log (request_id, item_index, workspace_id, received_at, endpoint, outcome, http_status,"
                        + " email, identifiers) SELECT 'req_' || i, 0, 'ws_a', i, '/e', 'accepted', 202, 'p' || (i % 500) || '@x.io',"
                        + " CASE WHEN i > " + (GROWN_BY - 300) + " THEN E'\\nphone\\t' || (i % 5000) || E'\\n' END"
                        + " FROM generate_series(1, " + GROWN_BY + ") i");
                s.execute("INSERT INTO event_log_identifiers SELECT 'ws_a', 'phone', (i % 5000)::text, i, i + 1"
                        + " FROM generate_series(1, " + (GROWN_BY - 300) + ") i");
                s.execute("UPDATE event_log_index_cursor SET seq = " + CURSOR);
            }
            return null;
        });
        String indexed = "SELECT l.seq, l.received_at, l.payload FROM event_log_identifiers i JOIN event_log l ON l.seq = i.seq"
                + " WHERE i.workspace_id = 'ws_a' AND i.type = 'phone' AND i.value = '7' AND i.seq <= " + CURSOR;
        String pending = " UNION ALL SELECT l.seq, l.received_at, l.payload FROM "
                + PostgresDialect.INSTANCE.keyRange("event_log", "l").replace("?", "%d").formatted(CURSOR, GROWN_BY + 1)
                + " AND l.identifiers IS NOT NULL"
                + " AND l.workspace_id = 'ws_a' AND strpos(l.identifiers, E'\\nphone\\t7\\n') > 0";
        // JdbcEventLogStore.byIdentifier: a page after a cursor with another filter, and a tail poll
        for (String sql : List.of(
                indexed + " AND l.outcome = 'accepted' AND i.received_at <= 90000 AND (i.received_at < 90000 OR i.seq < 90001)"
                        + pending + " AND l.outcome = 'accepted' AND l.received_at <= 90000 AND (l.received_at < 90000 OR l.seq < 90001)"
                        + " ORDER BY received_at DESC, seq DESC LIMIT 51",
                indexed + " AND i.seq > 5" + pending + " AND l.seq > 5 ORDER BY seq LIMIT 51")) {
            String plan = explain(sql);
            assertThat(plan).as(sql).contains("event_log_identifiers_pkey").contains("Function Scan on generate_series l_key")
                    .contains("Index Scan using event_log_pkey on event_log")
                    .doesNotContain("Seq Scan").doesNotContain("event_log_workspace").doesNotContain("event_log_time");
        }
        // prepared once and planned without the values (as a statement run often may be): still each entry by its key
        String generic = db.read(c -> {
            StringBuilder out = new StringBuilder();
            try (Statement s = c.createStatement()) {
                s.execute("PREPARE pending_entries(bigint, bigint, text) AS SELECT l.seq FROM "
                        + PostgresDialect.INSTANCE.keyRange("event_log", "l").replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2")
                        + " AND l.identifiers IS NOT NULL AND l.workspace_id = $3 AND l.received_at <= 90000"
                        + " ORDER BY received_at DESC, seq DESC LIMIT 51");
                s.execute("SET plan_cache_mode = force_generic_plan");
                try (ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) EXECUTE pending_entries(" + CURSOR + ", " + (GROWN_BY + 1)
                        + ", 'ws_a')")) {
                    while (rs.next()) out.append(rs.getString(1)).append('\n');
                }
                s.execute("RESET plan_cache_mode");
                s.execute("DEALLOCATE pending_entries");
            }
            return out.toString();
        });
        assertThat(generic).contains("Index Scan using event_log_pkey on event_log").doesNotContain("Seq Scan")
                .doesNotContain("event_log_workspace").doesNotContain("event_log_time");
        // the log indexer's step
        assertThat(explain("SELECT seq, workspace_id, received_at, identifiers FROM event_log WHERE seq > " + CURSOR
                + " AND seq <= " + (GROWN_BY + 1) + " ORDER BY seq LIMIT 1000")).contains("event_log_pkey").doesNotContain("Seq Scan");
    }

    private String explain(String sql) {
        return db.read(c -> {
            StringBuilder out = new StringBuilder();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) " + sql)) {
                while (rs.next()) out.append(rs.getString(1)).append('\n');
            }
            return out.toString();
        });
    }
}
