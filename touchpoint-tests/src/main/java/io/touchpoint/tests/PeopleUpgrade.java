package io.touchpoint.tests;

import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: profiles and links made before the people list kept its sights per
 * canonical profile are listed after the migration with the earliest and latest sight of all their members' links.
 * The caller builds the older schema, lets this write the rows, opens the store (which migrates) and asks for the check.
 */
public final class PeopleUpgrade {
    /** The migration that made the sights. */
    public static final String MIGRATION = "identity_people";
    private static final String WORKSPACE = "ws_people_upgrade";

    /** Profile a with b merged into it (links seen 500..5000), and profile c alone (seen 2000..7000). */
    public void writeBeforeTheSights(Connection c) throws SQLException {
        Object[][] profiles = {{"prf_people_a", null, "prf_people_a"}, {"prf_people_b", "prf_people_a", "prf_people_a"},
                {"prf_people_c", null, "prf_people_c"}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_profiles (id, workspace_id, created_seq,"
                + " created_at, merged_into, canonical_id) VALUES (?, ?, 1, 0, ?, ?)")) {
            for (Object[] p : profiles) {
                ps.setString(1, (String) p[0]);
                ps.setString(2, WORKSPACE);
                ps.setString(3, (String) p[1]);
                ps.setString(4, (String) p[2]);
                ps.executeUpdate();
            }
        }
        Object[][] links = {{"email", "ann@shop.io", "prf_people_a", 1000L, 5000L}, {"phone", "4915112345", "prf_people_b", 500L, 3000L},
                {"visitor_token", "tok-c", "prf_people_c", 2000L, 7000L}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_links (workspace_id, type, value, profile_id, rule,"
                + " event_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'exact', 'evt_people', ?, ?)")) {
            for (Object[] l : links) {
                ps.setString(1, WORKSPACE);
                ps.setString(2, (String) l[0]);
                ps.setString(3, (String) l[1]);
                ps.setString(4, (String) l[2]);
                ps.setLong(5, (Long) l[3]);
                ps.setLong(6, (Long) l[4]);
                ps.executeUpdate();
            }
        }
    }

    public void assertListedAfterTheUpgrade(Store store) {
        List<PersonSummary> people = store.identity().people(WORKSPACE, null, 10, null).items();
        assertThat(people).extracting(PersonSummary::profileId).containsExactly("prf_people_c", "prf_people_a");
        assertThat(people.get(1).firstSeen()).isEqualTo(Instant.ofEpochMilli(500));
        assertThat(people.get(1).lastSeen()).isEqualTo(Instant.ofEpochMilli(5000));
        assertThat(people.get(1).identifiers()).hasSize(2);
        assertThat(people.get(0).firstSeen()).isEqualTo(Instant.ofEpochMilli(2000));
        assertThat(people.get(0).lastSeen()).isEqualTo(Instant.ofEpochMilli(7000));
    }
}
