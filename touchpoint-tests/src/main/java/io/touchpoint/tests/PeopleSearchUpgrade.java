package io.touchpoint.tests;

import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: links made before the people search had its trigram index are found by a
 * search after the migration, by any part of their values. The caller builds the older schema, lets this write the
 * rows, opens the store (which migrates) and asks for the check.
 */
public final class PeopleSearchUpgrade {
    /** The migration that made the index. */
    public static final String MIGRATION = "identity_link_search";
    private static final String WORKSPACE = "ws_search_upgrade";

    /** Profile a (an email and a token, seen until 5000) and profile b (a short id, seen until 7000). */
    public void writeBeforeTheIndex(Connection c) throws SQLException {
        Object[][] links = {{"email", "Ann.Lee@shop.io", "prf_search_a", 5000L}, {"visitor_token", "tok-ann-9", "prf_search_a", 4000L},
                {"client_id", "b7", "prf_search_b", 7000L}};
        try (PreparedStatement profile = c.prepareStatement("INSERT INTO identity_profiles (id, workspace_id, created_seq,"
                + " created_at, merged_into, canonical_id) VALUES (?, ?, 1, 0, NULL, ?)");
             PreparedStatement person = c.prepareStatement("INSERT INTO identity_people (canonical_id, workspace_id,"
                     + " first_seen_at, last_seen_at) VALUES (?, ?, 1000, ?)");
             PreparedStatement link = c.prepareStatement("INSERT INTO identity_links (workspace_id, type, value, profile_id,"
                     + " rule, event_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'exact', 'evt_search', 1000, ?)")) {
            for (String id : new String[]{"prf_search_a", "prf_search_b"}) {
                profile.setString(1, id);
                profile.setString(2, WORKSPACE);
                profile.setString(3, id);
                profile.executeUpdate();
                person.setString(1, id);
                person.setString(2, WORKSPACE);
                person.setLong(3, id.endsWith("a") ? 5000 : 7000);
                person.executeUpdate();
            }
            for (Object[] l : links) {
                link.setString(1, WORKSPACE);
                link.setString(2, (String) l[0]);
                link.setString(3, (String) l[1]);
                link.setString(4, (String) l[2]);
                link.setLong(5, (Long) l[3]);
                link.executeUpdate();
            }
        }
    }

    public void assertFoundAfterTheUpgrade(Store store) {
        assertThat(search(store, "LEE@SHOP")).containsExactly("prf_search_a");
        assertThat(search(store, "ann-9")).containsExactly("prf_search_a");
        assertThat(search(store, "b7")).containsExactly("prf_search_b");
        assertThat(search(store, "ann")).containsExactly("prf_search_a");
        assertThat(search(store, "nobody")).isEmpty();
    }

    private static java.util.List<String> search(Store store, String text) {
        return store.identity().people(WORKSPACE, text, 10, null).items().stream().map(PersonSummary::profileId).toList();
    }
}
