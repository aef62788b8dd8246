package io.touchpoint.storage.sqlite;

import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;
import io.touchpoint.tests.DestinationStoreContract;
import io.touchpoint.tests.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteDestinationStoreTest extends DestinationStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }

    /** What the shared payloads save is rows: one per distinct body, none left behind by a redone batch or a removal. */
    @Test
    void aBodyIsStoredOncePerEventAndGoesWithItsLastEntry() throws SQLException {
        Routed r = routed("rows");
        Destination meta = r.meta(), hook = r.hook();
        Event a = r.a(), b = r.b();
        var destinations = store.destinations();
        assertThat(count("SELECT COUNT(*) FROM delivery_payloads")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM delivery_outbox WHERE event_body IS NOT NULL")).isZero();

        destinations.enqueue(List.of(entry(meta, a), entry(hook, a), entry(meta, b)), 2); // a batch redone
        assertThat(count("SELECT COUNT(*) FROM delivery_payloads")).isEqualTo(2);

        destinations.delete(meta.id()); // b went only to Meta; a is still Hook's
        assertThat(count("SELECT COUNT(*) FROM delivery_payloads")).isEqualTo(1);
        destinations.delete(hook.id());
        assertThat(count("SELECT COUNT(*) FROM delivery_payloads")).isZero();
    }

    @Test
    void aPurgedDeliveryTakesItsBodyAlongOnceNoEntrySendsIt() throws SQLException {
        Destination meta = routed("purge").meta();
        var destinations = store.destinations();
        List<Long> metaIds = destinations.due(meta.id(), Fixtures.T0, 10).stream().map(OutboxEntry::id).toList();
        destinations.record(metaIds.stream().map(id -> new io.touchpoint.core.destinations.DeliveryAttempt(id, Fixtures.T0, 200,
                "{}", io.touchpoint.core.destinations.DeliveryStatus.SENT, null, null)).toList());
        assertThat(count("SELECT COUNT(*) FROM delivery_attempts")).isEqualTo(2);

        assertThat(destinations.purgeFinished(Fixtures.T0.plusSeconds(1), 100)).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM delivery_outbox")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM delivery_attempts")).isZero();
        assertThat(count("SELECT COUNT(*) FROM delivery_payloads")).as("a's body stays for the hook").isEqualTo(1);
    }

    /** Meta and a webhook in a new workspace; event a routed to both (one body), b to Meta alone. */
    private record Routed(Destination meta, Destination hook, Event a, Event b) {
    }

    private Routed routed(String workspace) {
        Workspace ws = Fixtures.workspace(workspace);
        store.workspaces().create(ws);
        Routed r = new Routed(destination(ws, "dst_meta", DestinationType.META), destination(ws, "dst_hook", DestinationType.WEBHOOK),
                event(ws, "evt_a"), event(ws, "evt_b"));
        store.destinations().enqueue(List.of(entry(r.meta(), r.a()), entry(r.hook(), r.a()), entry(r.meta(), r.b())), 1);
        return r;
    }

    private Destination destination(Workspace ws, String id, DestinationType type) {
        Destination d = new Destination(id, ws.id(), type, id, Map.of(), null, null, null, null, null, null, true, Fixtures.T0, null);
        store.destinations().create(d);
        return d;
    }

    private static Event event(Workspace ws, String id) {
        return new Event(id, ws.id(), Source.ABLE, "req_" + id, Fixtures.T0, Fixtures.T0, "purchase", List.of(),
                io.touchpoint.core.model.Person.EMPTY, null, null, null, false, null, "{}");
    }

    private static OutboxEntry entry(Destination d, Event e) {
        return OutboxEntry.pending(d.id(), d.workspaceId(), 1, null, e.id(), e, Map.of(), Fixtures.T0);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
