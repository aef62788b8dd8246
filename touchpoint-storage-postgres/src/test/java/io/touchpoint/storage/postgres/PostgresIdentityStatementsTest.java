package io.touchpoint.storage.postgres;

import io.touchpoint.storage.jdbc.sql.LinkRefresh;
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
 * those statistics PostgreSQL 15 answered {@code value IN (...)} by scanning every link of the type, an OR of several
 * links by scanning every link of the workspace, a join of a few links by hashing all of them, and the clusters and
 * links of a few hundred profiles by reading both tables whole.
 */
class PostgresIdentityStatementsTest {
    private static final int GROWN_BY = 100_000;
    private static final int PART_LINKS = 2_000;
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
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE identity_profiles SET (autovacuum_enabled = false)");
                s.execute("INSERT INTO identity_profiles VALUES ('prof_0', 'ws_a', 0, 0, NULL, 'prof_0')");
                s.execute("ANALYZE identity_links");
                s.execute("ANALYZE identity_profiles");
            }
            return null;
        });
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO identity_links SELECT 'ws_a', 'fbp', 'fb.1.' || i, 'prof_' || i,"
                        + " 'attach', 'evt_' || i, i, i FROM generate_series(1, " + GROWN_BY + ") i");
                s.execute("INSERT INTO identity_profiles SELECT 'prof_' || i, 'ws_a', i, i, NULL, 'prof_' || i FROM generate_series(1, " + GROWN_BY + ") i");
                s.execute("UPDATE identity_profiles SET merged_into = 'prof_5', canonical_id = 'prof_5' WHERE id = 'prof_6'");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aLookupOfSeveralIdentifiersSearchesTheKeyForEachValue() {
        String plan = db.read(c -> explain(c, "EXPLAIN (COSTS OFF) " + PostgresDialect.LINKED_PROFILES_SQL, List.of("fb.1.5", "fb.1.7", "fb.1.none")));
        assertThat(plan).contains("Index Cond: ((workspace_id = 'ws_a'::text) AND (type = 'fbp'::text) AND (value = v.value))");
        assertThat(plan).doesNotContain("Filter");

        List<String> found = db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = db.dialect().linkedProfiles(c, "ws_a", "fbp", List.of("fb.1.5", "fb.1.7", "fb.1.none"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            return ids;
        });
        assertThat(found).containsExactlyInAnyOrder("prof_5", "prof_7");
    }

    @Test
    void aClusterAndItsLinksAreReadWithASearchPerProfile() {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 500; i++) many.add("prof_" + (i * 7));
        for (String sql : List.of(PostgresDialect.CLUSTERS_OF_SQL, PostgresDialect.LINKS_OF_SQL)) {
            String plan = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN (COSTS OFF) " + sql)) {
                    ps.setArray(1, c.createArrayOf("text", many.toArray()));
                    return lines(ps.executeQuery());
                }
            });
            assertThat(plan).doesNotContain("Seq Scan").doesNotContain("Hash").contains("Index");
        }

        List<String> cluster = db.read(c -> column(db.dialect().clustersOf(c, List.of("prof_6", "prof_9")), 1));
        assertThat(cluster).containsExactlyInAnyOrder("prof_5", "prof_6", "prof_9");
        List<String> links = db.read(c -> column(db.dialect().linksOf(c, List.of("prof_5", "prof_7", "prof_none")), 3));
        assertThat(links).containsExactlyInAnyOrder("fb.1.5", "fb.1.7");
    }

    @Test
    void lastSeenTimesAreRefreshedInOneStatementThatSearchesTheKeyForEachLink() {
        List<LinkRefresh> seen = List.of(new LinkRefresh("ws_a", "fbp", "fb.1.5", "prof_5", 500),
                new LinkRefresh("ws_a", "fbp", "fb.1.7", "prof_7", 700),
                new LinkRefresh("ws_a", "fbp", "fb.1.7", "prof_8", 800)); // no such link: nothing to set
        String plan = db.writeDerived(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(PostgresDialect.ONLY_NESTED_LOOPS);
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (COSTS OFF) " + PostgresDialect.REFRESH_LAST_SEEN_SQL)) {
                // a part's worth of links: for a few, the planner would search the key without being told
                Object[] text = new Object[PART_LINKS], times = new Object[PART_LINKS];
                for (int i = 0; i < PART_LINKS; i++) {
                    text[i] = "x" + i;
                    times[i] = (long) i;
                }
                for (int i = 1; i <= 4; i++) ps.setArray(i, c.createArrayOf("text", text));
                ps.setArray(5, c.createArrayOf("bigint", times));
                return lines(ps.executeQuery());
            }
        });
        // either index, searched on its leading columns: the whole key, or the profile (a few links, by the guardrails)
        assertThat(plan).contains("Nested Loop").doesNotContain("Hash").doesNotContain("Seq Scan").containsAnyOf(
                "Index Cond: ((workspace_id = v.workspace_id) AND (type = v.type) AND (value = v.value) AND (profile_id = v.profile_id))",
                "Index Cond: ((profile_id = v.profile_id)");

        db.writeDerived(c -> {
            db.dialect().bulkLastSeen().orElseThrow().refresh(c, seen);
            return null;
        });
        List<String> times = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT profile_id, last_seen_at FROM identity_links WHERE last_seen_at <> first_seen_at ORDER BY profile_id")) {
                while (rs.next()) out.add(rs.getString(1) + "=" + rs.getLong(2));
            }
            return out;
        });
        assertThat(times).containsExactly("prof_5=500", "prof_7=700");
        // the planner settings were for that statement only
        String hashJoins = db.writeDerived(c -> {
            db.dialect().bulkLastSeen().orElseThrow().refresh(c, seen);
            return setting(c, "enable_hashjoin");
        });
        assertThat(hashJoins).isEqualTo("on");
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

    private static List<String> column(PreparedStatement statement, int column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = statement; ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(column));
        }
        return out;
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
