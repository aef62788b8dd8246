package io.touchpoint.storage.postgres;

import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribution stage's statements that run on every batch or every event: each must search an index, not read a
 * whole table, also where the planner's statistics are stale (tables analyzed while nearly empty, then grown by a
 * burst, as on a new install catching up).
 */
class PostgresAttributionStatementsTest {
    private static final int MERGES = 100_000;
    private static final int GROWN_BY = 100_000;
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
    void aBatchsEventsAndAPersonsTouchpointsAndConversionsAreSearchedOnStaleStatistics() {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("events", "identity_profiles", "identity_event_profiles", "attribution_touchpoints",
                        "attribution_conversions")) {
                    s.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)"); // statistics stay stale
                }
                s.execute("INSERT INTO events (id, workspace_id, source, request_id, received_at, event_time, name, body)"
                        + " VALUES ('evt_0', 'ws_a', 'cometly', 'req_0', 0, 0, 'purchase', '{}')");
                s.execute("INSERT INTO identity_profiles VALUES ('prof_0', 'ws_a', 0, 0, NULL, 'prof_0')");
                s.execute("INSERT INTO identity_event_profiles VALUES ('evt_0', 'ws_a', 1, 'prof_0')");
                s.execute("INSERT INTO attribution_touchpoints (workspace_id, event_id, profile_id, canonical_id, started_at,"
                        + " last_seen_at, source, platform, channel) VALUES ('ws_a', 'evt_0', 'prof_0', 'prof_0', 0, 0, 'google',"
                        + " 'google', 'paid_search')");
                s.execute("INSERT INTO attribution_conversions (event_id, workspace_id, profile_id, canonical_id, converted_at, day,"
                        + " event_name, value, currency) VALUES ('evt_0', 'ws_a', 'prof_0', 'prof_0', 0, '2026-01-01', 'purchase', 1, 'USD')");
                s.execute("ANALYZE");
            }
            return null;
        });
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events (id, workspace_id, source, request_id, received_at, event_time, name, body)"
                        + " SELECT 'evt_' || i, 'ws_a', 'cometly', 'req_' || i, i, i, 'purchase', '{}' FROM generate_series(1, " + GROWN_BY + ") i");
                s.execute("INSERT INTO identity_profiles SELECT 'prof_' || i, 'ws_a', i, i, NULL, 'prof_' || i"
                        + " FROM generate_series(1, " + GROWN_BY / 2 + ") i");
                s.execute("INSERT INTO identity_event_profiles SELECT 'evt_' || i, 'ws_a', i + 1, 'prof_' || (i / 2)"
                        + " FROM generate_series(1, " + GROWN_BY + ") i");
                s.execute("INSERT INTO attribution_touchpoints (workspace_id, event_id, profile_id, canonical_id, started_at,"
                        + " last_seen_at, source, platform, channel) SELECT 'ws_a', 'evt_' || i, 'prof_' || (i / 2),"
                        + " 'prof_' || (i / 2), i, i, 'google', 'google', 'paid_search' FROM generate_series(1, " + GROWN_BY + ") i");
                s.execute("INSERT INTO attribution_conversions (event_id, workspace_id, profile_id, canonical_id, converted_at, day,"
                        + " event_name, value, currency) SELECT 'evt_' || i, 'ws_a', 'prof_' || (i / 2), 'prof_' || (i / 2), i,"
                        + " '2026-01-01', 'purchase', 1, 'USD' FROM generate_series(1, " + GROWN_BY + ") i");
            }
            return null;
        });
        // AttributionStage: the batch's resolved events, then per event and per person
        String events = explain("SELECT e.seq, e.body, ep.profile_id, p.canonical_id FROM events e"
                + " JOIN identity_event_profiles ep ON ep.event_id = e.id JOIN identity_profiles p ON p.id = ep.profile_id"
                + " WHERE e.seq > 1000 AND e.seq <= 90000 ORDER BY e.seq LIMIT 200");
        assertThat(events).contains("Index Scan using events_pkey").doesNotContain("Seq Scan").doesNotContain("Hash");
        String latestTouch = explain("SELECT id, started_at, last_seen_at FROM attribution_touchpoints"
                + " WHERE workspace_id = 'ws_a' AND canonical_id = 'prof_77' ORDER BY last_seen_at DESC, id DESC LIMIT 1");
        assertThat(latestTouch).contains("Index Cond: ((workspace_id = 'ws_a'::text) AND (canonical_id = 'prof_77'::text))")
                .doesNotContain("Seq Scan");
        String touches = explain("SELECT id FROM attribution_touchpoints WHERE workspace_id = 'ws_a'"
                + " AND canonical_id = 'prof_77' AND started_at >= 0 AND started_at <= 200");
        assertThat(touches).contains("attribution_touchpoints_canonical").doesNotContain("Seq Scan");
        String conversions = explain("SELECT event_id, converted_at FROM attribution_conversions"
                + " WHERE workspace_id = 'ws_a' AND canonical_id = 'prof_77'");
        assertThat(conversions).contains("attribution_conversions_canonical").doesNotContain("Seq Scan");

        // the touchpoints of several profiles at once, as the stage reads them to recompute credits
        List<String> profiles = List.of("prof_77", "prof_78", "prof_none");
        String condition = "AND started_at >= ? AND started_at <= ?";
        String several = db.read(c -> {
            StringBuilder out = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (COSTS OFF) "
                    + PostgresDialect.ofProfilesSql("attribution_touchpoints", "id, started_at", condition))) {
                ps.setArray(1, c.createArrayOf("text", profiles.toArray()));
                ps.setString(2, "ws_a");
                ps.setLong(3, 0);
                ps.setLong(4, 155);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.append(rs.getString(1)).append('\n');
                }
            }
            return out.toString();
        });
        assertThat(several).contains("Index Cond: ((workspace_id = 'ws_a'::text) AND (canonical_id = v.value)")
                .doesNotContain("Seq Scan").doesNotContain("Hash");
        List<String> rows = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = db.dialect().ofProfiles(c, "attribution_touchpoints", "id, started_at", "ws_a", profiles, condition, 0, 155);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString("canonical_id") + "@" + rs.getLong("started_at"));
            }
            return out;
        });
        assertThat(rows).containsExactlyInAnyOrder("prof_77@154", "prof_77@155");
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

    @Test
    void mergesUndoneSinceTheCursorAreFoundWithoutReadingTheMergeLog() {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO identity_merges (workspace_id, survivor_id, absorbed_id, via_type, via_value, rule,"
                        + " outcome, event_id, merged_at, undone_at, undo_seq) SELECT 'ws_a', 'prof_' || i, 'prof_x' || i, 'email',"
                        + " 'a' || i || '@example.com', 'email', 'merged', 'evt_' || i, i,"
                        + " CASE WHEN i % 10000 = 0 THEN i END, CASE WHEN i % 10000 = 0 THEN i / 10000 END"
                        + " FROM generate_series(1, " + MERGES + ") i");
                s.execute("ANALYZE identity_merges");
            }
            return null;
        });
        // AttributionStage.batch's statement, at a cursor before every undone merge
        String sql = "SELECT undo_seq, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undo_seq > 0 ORDER BY undo_seq";
        assertThat(explain(sql)).contains("identity_merges_undo_seq").doesNotContain("Seq Scan");
        // the next number an unmerge takes
        assertThat(explain("SELECT undo_seq FROM identity_merges WHERE undo_seq IS NOT NULL ORDER BY undo_seq DESC LIMIT 1"))
                .contains("identity_merges_undo_seq").doesNotContain("Seq Scan");
        int found = db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = 0;
                while (rs.next()) n++;
                return n;
            }
        });
        assertThat(found).isEqualTo(MERGES / 10_000);
    }
}
