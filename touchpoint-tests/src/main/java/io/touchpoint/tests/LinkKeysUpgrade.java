package io.touchpoint.tests;

import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade that re-keys stored identity links (SQLite V12, PostgreSQL V11), for both stores' tests: links written
 * before it with Meta clicks and GA cookies as they were sent, in every shape and in shapes that are not theirs, are
 * afterwards the links {@link IdentityResolver#linkKey} makes now, so the SQL and the Java rules agree, and each value
 * as it was sent still finds its profile.
 */
public final class LinkKeysUpgrade {
    public static final String WS = "ws_keys";

    private record Row(String profile, IdentifierType type, String value, long firstSeen, long lastSeen) {
    }

    private static final List<Row> ROWS = List.of(
            // the cookie and the bare click id on one profile become one link: earliest first sight, latest last
            new Row("prof_1", IdentifierType.FBC, "fb.1.1700000000000.IwAR1", 5, 9),
            new Row("prof_1", IdentifierType.FBCLID, "IwAR1", 3, 7),
            new Row("prof_1", IdentifierType.GCLID, "Cj0KCQ", 3, 7),
            new Row("prof_2", IdentifierType.FBCLID, "fb.2.1700000000000.IwAR2.AQYBAQIA", 1, 2),
            new Row("prof_2", IdentifierType.FBC, "fb.1.1700000000001.IwAR2", 4, 4),
            new Row("prof_3", IdentifierType.FBC, "IwAR3", 1, 1),
            new Row("prof_3", IdentifierType.FBC, "fb.x.1.IwAR3x", 1, 1),
            new Row("prof_3", IdentifierType.FBC, "fb.1.123.", 1, 1),
            new Row("prof_3", IdentifierType.FBCLID, "fb.1.1a.IwAR3y", 1, 1),
            new Row("prof_4", IdentifierType.GA_COOKIE, "GA1.1.777.888", 2, 3),
            new Row("prof_4", IdentifierType.GA_COOKIE, "GA1.2.777.888", 1, 6),
            new Row("prof_4", IdentifierType.GA_COOKIE, "GA1.1.abc.888", 1, 1),
            new Row("prof_4", IdentifierType.GA_COOKIE, "GA1.1.777.888.9", 1, 1),
            new Row("prof_4", IdentifierType.GA_COOKIE, "GA.1.777.888", 1, 1),
            new Row("prof_5", IdentifierType.GA_COOKIE, "777.888", 1, 1),
            new Row("prof_5", IdentifierType.FBP, "fb.1.1700000000000.123456", 1, 1));

    private LinkKeysUpgrade() {
    }

    /** Statements that write the profiles and links at the schema version before the upgrade. */
    public static List<String> inserts() {
        List<String> out = new ArrayList<>();
        Set<String> profiles = new TreeSet<>();
        for (Row r : ROWS) profiles.add(r.profile());
        int seq = 0;
        for (String p : profiles) {
            out.add("INSERT INTO identity_profiles (id, workspace_id, created_seq, created_at, merged_into, canonical_id)"
                    + " VALUES ('" + p + "', '" + WS + "', " + (++seq) + ", 0, NULL, '" + p + "')");
        }
        int event = 0;
        for (Row r : ROWS) {
            out.add("INSERT INTO identity_links (workspace_id, type, value, profile_id, rule, event_id, first_seen_at,"
                    + " last_seen_at) VALUES ('" + WS + "', '" + r.type().wireName() + "', '" + r.value() + "', '" + r.profile()
                    + "', 'attach', 'evt_" + (++event) + "', " + r.firstSeen() + ", " + r.lastSeen() + ")");
        }
        return out;
    }

    /** Checks the upgraded store, whose database is at {@code jdbcUrl}. */
    public static void verify(Store store, String jdbcUrl) {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (Row r : ROWS) {
            Identifier key = IdentityResolver.linkKey(new Identifier(r.type(), r.value()), null);
            expected.computeIfAbsent(r.profile(), k -> new TreeSet<>()).add(key.type().wireName() + ":" + key.value());
        }
        assertThat(IdentityPartition.of(jdbcUrl, WS)).isEqualTo(expected);
        // a few by hand, so that a mistake shared by the two rules would show
        assertThat(expected.get("prof_1")).containsExactlyInAnyOrder("fbclid:IwAR1", "gclid:Cj0KCQ");
        assertThat(expected.get("prof_2")).containsExactly("fbclid:IwAR2");
        assertThat(expected.get("prof_3")).containsExactlyInAnyOrder("fbclid:IwAR3", "fbclid:fb.x.1.IwAR3x",
                "fbclid:fb.1.123.", "fbclid:fb.1.1a.IwAR3y");
        assertThat(expected.get("prof_4")).containsExactlyInAnyOrder("ga_cookie:777.888", "ga_cookie:GA1.1.abc.888",
                "ga_cookie:GA1.1.777.888.9", "ga_cookie:GA.1.777.888");
        // each value as it was sent finds the oldest profile (created_seq in the profiles' order here) linked to its key
        for (Row r : ROWS) {
            Identifier sent = new Identifier(r.type(), r.value());
            Identifier key = IdentityResolver.linkKey(sent, null);
            String oldest = expected.entrySet().stream().filter(e -> e.getValue().contains(key.type().wireName() + ":" + key.value()))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(store.identity().findProfile(WS, sent)).as("%s", sent).contains(oldest);
        }
        assertThat(store.identity().findProfile(WS, new Identifier(IdentifierType.GA_COOKIE, "777.888"))).contains("prof_4");
        Profile.LinkedIdentifier click = store.identity().profile(WS, "prof_1").orElseThrow().identifiers().stream()
                .filter(l -> l.identifier().type() == IdentifierType.FBCLID).findFirst().orElseThrow();
        assertThat(click.firstSeen()).isEqualTo(Instant.ofEpochMilli(3));
        assertThat(click.lastSeen()).isEqualTo(Instant.ofEpochMilli(9));
        assertThat(click.eventId()).isEqualTo("evt_2");
        Profile.LinkedIdentifier ga = store.identity().profile(WS, "prof_4").orElseThrow().identifiers().stream()
                .filter(l -> l.identifier().value().equals("777.888")).findFirst().orElseThrow();
        assertThat(ga.firstSeen()).isEqualTo(Instant.ofEpochMilli(1));
        assertThat(ga.lastSeen()).isEqualTo(Instant.ofEpochMilli(6));
        assertThat(ga.eventId()).isEqualTo("evt_11");
    }
}
