package io.touchpoint.tests;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: the log indexer's cursor starts just before the oldest entry still waiting
 * for it, so that every entry is found by its identifiers exactly once after the upgrade, before and after the indexer
 * has caught up. The caller builds the older schema, lets this write the rows, opens the store and asks for the check.
 */
public final class EventLogCursorUpgrade {
    /** The migration that gave the log indexer its cursor. */
    public static final String MIGRATION = "event_log_index_cursor";
    private static final String WS = "ws_cursor";

    /**
     * Four entries as the indexer without a cursor left them: the two oldest copied into the index (their identifiers
     * cleared), the next two still waiting, the newest without identifiers.
     */
    public void writeBeforeTheCursor(Connection c) throws SQLException {
        try (PreparedStatement log = c.prepareStatement("INSERT INTO event_log (seq, request_id, item_index, workspace_id,"
                + " received_at, endpoint, outcome, http_status, identifiers) VALUES (?, ?, 0, ?, ?, '/e', 'accepted', 202, ?)")) {
            for (int seq = 1; seq <= 5; seq++) {
                log.setLong(1, seq);
                log.setString(2, "req_" + seq);
                log.setString(3, WS);
                log.setLong(4, seq);
                log.setString(5, seq == 3 || seq == 4 ? "\nphone\t" + seq + "\n" : null);
                log.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO event_log_identifiers (workspace_id, type, value, received_at, seq) VALUES"
                    + " ('" + WS + "', 'phone', '1', 1, 1), ('" + WS + "', 'phone', '2', 2, 2)");
        }
    }

    /** Each entry found once by its phone, then again once the indexer has copied what waited. */
    public void assertFoundOnceBeforeAndAfterTheIndexer(Store store) {
        assertEachFoundOnce(store);
        int copied = 0;
        for (int n; (n = store.stages().eventLogIndex().step(1_000)) > 0; ) copied += n;
        assertThat(copied).as("the entries after the cursor").isEqualTo(3);
        assertEachFoundOnce(store);
        assertThat(store.stages().eventLogIndex().step(1_000)).isZero();
    }

    private static void assertEachFoundOnce(Store store) {
        for (int seq = 1; seq <= 4; seq++) {
            assertThat(store.eventLog().search(new EventLogQuery(WS, null, null, null, null, null, null, null, null, 10,
                    new Identifier(IdentifierType.PHONE, String.valueOf(seq)))).items())
                    .extracting(EventLogEntry::requestId).containsExactly("req_" + seq);
        }
    }
}
