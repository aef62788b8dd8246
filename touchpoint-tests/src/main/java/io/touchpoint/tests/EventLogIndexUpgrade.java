package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
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
 * An upgrade both stores must make alike: events-log entries written before the identifier index existed are found by
 * their identifiers once the store has migrated. The caller builds the older schema, lets this write the rows, opens
 * the store (which migrates) and asks for the check.
 */
public final class EventLogIndexUpgrade {
    /** The migration that made the identifier index. */
    public static final String MIGRATION = "report_freshness";

    public final Workspace workspace = Fixtures.workspace("acme");
    private final Event event = Fixtures.fullEvent(workspace, null);
    // stored before ingest refused U+0000 in an identifier: its body holds the escape, which the upgrade leaves out
    private final Event withNul = new Event(Ids.event(), workspace.id(), Source.PIXEL, "req_nul", event.receivedAt(),
            event.eventTime(), "page_view", List.of(new Identifier(IdentifierType.FINGERPRINT, "evil\u0000fp"),
            new Identifier(IdentifierType.VISITOR_TOKEN, "tok-ok")), null, null, null, null, false, null, "{}");

    /** Writes two events and three log entries (one refused) on the older schema; {@code body} is the store's JSON. */
    public void writeBeforeTheIndex(Connection c, Function<Event, String> body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, workspace_id, source, request_id, received_at,"
                + " event_time, name, body) VALUES (?, ?, 'cometly', 'req_old', 5, 5, 'purchase', ?)")) {
            for (Event e : List.of(event, withNul)) {
                ps.setString(1, e.id());
                ps.setString(2, workspace.id());
                ps.setString(3, body.apply(e));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement log = c.prepareStatement("INSERT INTO event_log (request_id, item_index, workspace_id, received_at,"
                + " endpoint, outcome, http_status, email, event_id) VALUES (?, 0, ?, ?, '/public-api/v1/events', ?, ?, ?, ?)")) {
            Object[][] rows = {{"req_old", 5L, "accepted", 202, "jane@example.com", event.id()},
                    {"req_refused", 6L, "rejected", 422, " Bob@Example.com", null},
                    {"req_nul", 7L, "accepted", 202, null, withNul.id()}};
            for (Object[] r : rows) {
                log.setString(1, (String) r[0]);
                log.setString(2, workspace.id());
                log.setLong(3, (Long) r[1]);
                log.setString(4, (String) r[2]);
                log.setInt(5, (Integer) r[3]);
                log.setString(6, (String) r[4]);
                log.setString(7, (String) r[5]);
                log.executeUpdate();
            }
        }
    }

    /** Each entry is found by what it carried: the event's phone and click id, the refused email, the clean token. */
    public void assertFoundAfterTheUpgrade(Store store) {
        assertThat(find(store, IdentifierType.PHONE, "16505551212")).containsExactly("req_old");
        assertThat(find(store, IdentifierType.GCLID, "Cj0KCQ")).containsExactly("req_old");
        assertThat(find(store, IdentifierType.EMAIL, "bob@example.com")).containsExactly("req_refused");
        assertThat(find(store, IdentifierType.VISITOR_TOKEN, "tok-ok")).containsExactly("req_nul");
        assertThat(store.attribution().dataVersion()).isZero();
    }

    private List<String> find(Store store, IdentifierType type, String value) {
        return store.eventLog().search(new EventLogQuery(workspace.id(), null, null, null, null, null, null, null, null, 10,
                new Identifier(type, value))).items().stream().map(EventLogEntry::requestId).toList();
    }
}
