package io.touchpoint.storage.postgres;

import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity processor's PostgreSQL statements where the planner's statistics are stale: the links table analyzed
 * while it was nearly empty, then grown by a burst (a new install catching up, or a backlog after an upgrade). With
 * those statistics PostgreSQL 15 answered {@code value IN (...)} and an OR of several links by scanning every link of
 * the type or of the workspace.
 */
class PostgresIdentityStatementsTest {
    private static final int GROWN_BY = 20_000;
    private String url;
    private PostgresDatabase db;

    @BeforeEach
    void linksAnalyzedWhileNearlyEmptyThenGrown() {
        url = PostgresTestDatabase.freshSchemaUrl();
        new PostgresStore(url, null, null).close(); // the schema
        db = new PostgresDatabase(url, null, null, 1);
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE identity_links SET (autovacuum_enabled = false)"); // statistics stay stale
                s.execute("INSERT INTO identity_links VALUES ('ws_a', 'email', 'a@example.com', 'prof_0', 'email', 'evt_0', 0, 0)");
            }
            return null;
        });
        db.write(c -> c.createStatement().execute("ANALYZE identity_links"));
        db.write(c -> c.createStatement().execute("INSERT INTO identity_links SELECT 'ws_a', 'fbp', 'fb.1.' || i, 'prof_' || i,"
                + " 'attach', 'evt_' || i, i, i FROM generate_series(1, " + GROWN_BY + ") i"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aLookupOfSeveralIdentifiersSearchesTheKeyForEachValue() {
        String plan = db.read(c -> explain(c, "EXPLAIN (COSTS OFF) " + PostgresDatabase.LINKED_PROFILES_SQL, List.of("fb.1.5", "fb.1.7", "fb.1.none")));
        assertThat(plan).contains("Index Cond: ((workspace_id = 'ws_a'::text) AND (type = 'fbp'::text) AND (value = v.value))");
        assertThat(plan).doesNotContain("Filter");

        List<String> found = db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = db.linkedProfiles(c, "ws_a", "fbp", List.of("fb.1.5", "fb.1.7", "fb.1.none"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            return ids;
        });
        assertThat(found).containsExactlyInAnyOrder("prof_5", "prof_7");
    }

    @Test
    void lastSeenTimesAreRefreshedOneLinkAStatement() {
        assertThat(db.linksPerRefresh()).isEqualTo(1);
        String one = db.read(c -> explainText(c, "EXPLAIN (COSTS OFF) UPDATE identity_links SET last_seen_at = 9 WHERE workspace_id = 'ws_a'"
                + " AND type = 'fbp' AND value = 'fb.1.5' AND profile_id = 'prof_5'"));
        // either index is searched on its leading columns: the whole key, or the profile (a few links, by the guardrails)
        assertThat(one).containsAnyOf(
                "Index Cond: ((workspace_id = 'ws_a'::text) AND (type = 'fbp'::text) AND (value = 'fb.1.5'::text) AND (profile_id = 'prof_5'::text))",
                "Index Cond: ((profile_id = 'prof_5'::text)");
    }

    @Test
    void aDerivedCommitDoesNotWaitForTheFlushAndLeavesDurableCommitsAsTheyWere() {
        String derived = db.writeDerived(c -> setting(c, "synchronous_commit"));
        // the pool has one connection: what follows is on the same session
        String durable = db.write(c -> setting(c, "synchronous_commit"));
        String reading = db.read(c -> setting(c, "synchronous_commit"));
        assertThat(derived).isEqualTo("off");
        assertThat(durable).isEqualTo("on");
        assertThat(reading).isEqualTo("on");
    }

    private static String explain(Connection c, String sql, List<String> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", values.toArray()));
            ps.setString(2, "ws_a");
            ps.setString(3, "fbp");
            return lines(ps.executeQuery());
        }
    }

    private static String explainText(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return lines(s.executeQuery(sql));
        }
    }

    private static String lines(ResultSet rs) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (rs) {
            while (rs.next()) out.append(rs.getString(1).strip()).append('\n');
        }
        return out.toString();
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
