package io.touchpoint.storage.postgres;

import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The attribution stage's statements that run on every batch: each must search an index, not read a whole table. */
class PostgresAttributionStatementsTest {
    private static final int MERGES = 100_000;

    @Test
    void mergesUndoneSinceTheCursorAreFoundWithoutReadingTheMergeLog() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        new PostgresStore(url, null, null).close(); // the schema
        PostgresDatabase db = new PostgresDatabase(url, null, null, 1);
        try {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO identity_merges (workspace_id, survivor_id, absorbed_id, via_type, via_value, rule,"
                            + " outcome, event_id, merged_at, undone_at) SELECT 'ws_a', 'prof_' || i, 'prof_x' || i, 'email',"
                            + " 'a' || i || '@example.com', 'email', 'merged', 'evt_' || i, i,"
                            + " CASE WHEN i % 10000 = 0 THEN i END FROM generate_series(1, " + MERGES + ") i");
                    s.execute("ANALYZE identity_merges");
                }
                return null;
            });
            // AttributionStage.batch's statement, at a cursor before every undone merge
            String sql = "SELECT undone_at, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undone_at > 0";
            String plan = db.read(c -> {
                StringBuilder out = new StringBuilder();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) " + sql)) {
                    while (rs.next()) out.append(rs.getString(1)).append('\n');
                }
                return out.toString();
            });
            assertThat(plan).contains("identity_merges_undone").doesNotContain("Seq Scan");
            int found = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    int n = 0;
                    while (rs.next()) n++;
                    return n;
                }
            });
            assertThat(found).isEqualTo(MERGES / 10_000);
        } finally {
            db.close();
        }
    }
}
