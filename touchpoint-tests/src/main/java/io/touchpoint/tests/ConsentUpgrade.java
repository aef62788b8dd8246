package io.touchpoint.tests;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: a workspace and an event stored before consent was recorded read, once the
 * store has migrated, as the built-in consent settings (granted by default, which changes none of its deliveries) and
 * an unknown consent, in the event and its events-log entry alike.
 */
public final class ConsentUpgrade {
    /** The migration that added consent. */
    public static final String MIGRATION = "consent";

    public final Workspace workspace = Fixtures.workspace("before-consent");
    private final Event event = Fixtures.fullEvent(workspace, null);

    /** Writes the workspace, an event without consent in its body, and its log entry on the older schema. */
    public void writeBeforeConsent(Connection c, Function<Event, String> body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workspaces (id, name, pixel_key, created_at, time_zone,"
                + " currency, phone_region, rate_limit_per_minute) VALUES (?, ?, ?, 1, 'UTC', 'USD', 'US', 1000)")) {
            ps.setString(1, workspace.id());
            ps.setString(2, workspace.name());
            ps.setString(3, workspace.pixelKey());
            ps.executeUpdate();
        }
        String json = body.apply(event).replaceFirst(",\"consent\":\\{[^}]*}", "");
        assertThat(json).doesNotContain("consent");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, workspace_id, source, request_id, received_at,"
                + " event_time, name, body) VALUES (?, ?, 'cometly', 'req_before_consent', 5, 5, 'purchase', ?)")) {
            ps.setString(1, event.id());
            ps.setString(2, workspace.id());
            ps.setString(3, json);
            ps.executeUpdate();
        }
        try (PreparedStatement log = c.prepareStatement("INSERT INTO event_log (request_id, item_index, workspace_id,"
                + " received_at, endpoint, outcome, http_status, event_id) VALUES ('req_before_consent', 0, ?, 5,"
                + " '/public-api/v1/events', 'accepted', 202, ?)")) {
            log.setString(1, workspace.id());
            log.setString(2, event.id());
            log.executeUpdate();
        }
    }

    public void assertReadAsUnknownAfterTheUpgrade(Store store) {
        assertThat(store.workspaces().byId(workspace.id()).orElseThrow().settings().consent())
                .isEqualTo(ConsentSettings.DEFAULTS);
        assertThat(store.events().find(workspace.id(), event.id()).orElseThrow().consent()).isEqualTo(Consent.UNKNOWN);
        List<EventLogEntry> log = store.eventLog().search(new EventLogQuery(workspace.id(), null, null, null,
                "req_before_consent", null, null, null, null, 10, null)).items();
        assertThat(log).singleElement().extracting(EventLogEntry::consent).isEqualTo(Consent.UNKNOWN);
    }
}
