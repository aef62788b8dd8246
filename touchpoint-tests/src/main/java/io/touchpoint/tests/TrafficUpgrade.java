package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.traffic.TrafficReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: page views stored and resolved before the traffic rollup existed are counted
 * by the traffic stage once the store has migrated (it starts from the first event, not from the latest). The caller
 * builds the older schema, lets this write the rows, opens the store (which migrates) and asks for the check.
 */
public final class TrafficUpgrade {
    /** The migration that made the traffic rollup. */
    public static final String MIGRATION = "traffic_overview";
    private static final String WORKSPACE = "ws_traffic_upgrade";
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    /** Three page views of two visitors, resolved by the identity stage: the first visitor's two make one visit. */
    public void writeBeforeTheRollup(Connection c, Function<Event, String> body) throws SQLException {
        Object[][] views = {{"prf_upgrade_a", "https://shop.example.com/?utm_source=newsletter&utm_medium=email", AT},
                {"prf_upgrade_a", "https://shop.example.com/pricing", AT.plus(Duration.ofMinutes(5))},
                {"prf_upgrade_b", "https://shop.example.com/blog", AT.plus(Duration.ofMinutes(7))}};
        try (PreparedStatement profile = c.prepareStatement("INSERT INTO identity_profiles (id, workspace_id, created_seq,"
                + " created_at, canonical_id) VALUES (?, ?, ?, ?, ?)")) {
            for (String p : List.of("prf_upgrade_a", "prf_upgrade_b")) {
                profile.setString(1, p);
                profile.setString(2, WORKSPACE);
                profile.setLong(3, 1);
                profile.setLong(4, AT.toEpochMilli());
                profile.setString(5, p);
                profile.executeUpdate();
            }
        }
        long seq = 0;
        for (Object[] v : views) {
            Instant at = (Instant) v[2];
            Event e = new Event(Ids.event(), WORKSPACE, Source.PIXEL, "req_" + ++seq, at, at, "page_view",
                    List.of(new Identifier(IdentifierType.VISITOR_TOKEN, "tok-" + v[0])), null,
                    new Context(null, null, (String) v[1], null, null, null), null, null, false, null, "{}");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (seq, id, workspace_id, source, request_id,"
                    + " received_at, event_time, name, body) VALUES (?, ?, ?, 'pixel', ?, ?, ?, 'page_view', ?)")) {
                ps.setLong(1, seq);
                ps.setString(2, e.id());
                ps.setString(3, WORKSPACE);
                ps.setString(4, e.requestId());
                ps.setLong(5, at.toEpochMilli());
                ps.setLong(6, at.toEpochMilli());
                ps.setString(7, body.apply(e));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_event_profiles (event_id, workspace_id, seq,"
                    + " profile_id) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, WORKSPACE);
                ps.setLong(3, seq);
                ps.setString(4, (String) v[0]);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_cursor SET seq = ? WHERE id = 1")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }

    /** The traffic stage, stepped until caught up, has counted every page view from before the upgrade. */
    public void assertCountedAfterTheUpgrade(Store store) {
        assertThat(store.traffic().eventsNotCounted()).isEqualTo(3);
        while (store.stages().traffic().step(100) > 0) {
            // counts the stored page views
        }
        LocalDate day = LocalDate.of(2026, 3, 1);
        TrafficReport r = store.traffic().report(WORKSPACE, day, day, 10);
        assertThat(r.totals()).isEqualTo(new TrafficReport.Figures(2, 2, 3, 1));
        assertThat(r.landingPages()).extracting(TrafficReport.LandingPage::path).containsExactly("/", "/blog");
        assertThat(store.traffic().eventsNotCounted()).isZero();
    }
}
