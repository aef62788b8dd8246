package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.storage.jdbc.sql.JsonColumns;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The destinations table: one row per destination, its maps and lists as JSON text. */
final class DestinationRows {
    private static final String COLUMNS = "id, workspace_id, type, name, settings, sealed_secrets, events, event_map, mode,"
            + " model, base_url, enabled, created_at, updated_at";

    private DestinationRows() {
    }

    static void insert(Connection c, Destination d) throws SQLException {
        Statements.update(c, "INSERT INTO destinations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.id(), d.workspaceId(), d.type().wireName(), d.name(), JsonColumns.map(d.settings()), d.sealedSecrets(),
                JsonColumns.list(d.events()), JsonColumns.map(d.eventMap()), d.mode().wireName(), d.model().wireName(),
                d.baseUrl(), d.enabled(), d.createdAt(), d.updatedAt());
    }

    /** Everything but the id and the workspace, which a destination keeps for life. */
    static boolean update(Connection c, Destination d) throws SQLException {
        return Statements.update(c, "UPDATE destinations SET type = ?, name = ?, settings = ?, sealed_secrets = ?, events = ?,"
                        + " event_map = ?, mode = ?, model = ?, base_url = ?, enabled = ?, created_at = ?, updated_at = ?"
                        + " WHERE id = ? AND workspace_id = ?",
                d.type().wireName(), d.name(), JsonColumns.map(d.settings()), d.sealedSecrets(), JsonColumns.list(d.events()),
                JsonColumns.map(d.eventMap()), d.mode().wireName(), d.model().wireName(), d.baseUrl(), d.enabled(),
                d.createdAt(), d.updatedAt(), d.id(), d.workspaceId()) > 0;
    }

    static Optional<Destination> find(Connection c, String id) throws SQLException {
        return Statements.list(c, "SELECT " + COLUMNS + " FROM destinations WHERE id = ?", DestinationRows::map, id)
                .stream().findFirst();
    }

    static List<Destination> ofWorkspace(Connection c, String workspaceId) throws SQLException {
        return Statements.list(c, "SELECT " + COLUMNS + " FROM destinations WHERE workspace_id = ? ORDER BY created_at, id",
                DestinationRows::map, workspaceId);
    }

    static List<Destination> enabled(Connection c) throws SQLException {
        return Statements.list(c, "SELECT " + COLUMNS + " FROM destinations WHERE enabled = 1 ORDER BY created_at, id",
                DestinationRows::map);
    }

    /** Its ledger, its outbox, then the destination: the ledger by its destination index rather than entry by entry. */
    static boolean delete(Connection c, String id) throws SQLException {
        Statements.update(c, "DELETE FROM delivery_attempts WHERE destination_id = ?", id);
        List<Long> payloads = Statements.list(c, "SELECT DISTINCT payload_id FROM delivery_outbox WHERE destination_id = ?"
                + " AND payload_id IS NOT NULL", rs -> rs.getLong(1), id);
        Statements.update(c, "DELETE FROM delivery_outbox WHERE destination_id = ?", id);
        Payloads.dropUnused(c, payloads); // those other destinations' entries do not share
        return Statements.update(c, "DELETE FROM destinations WHERE id = ?", id) > 0;
    }

    private static Destination map(ResultSet rs) throws SQLException {
        return new Destination(rs.getString("id"), rs.getString("workspace_id"), type(rs.getString("type")),
                rs.getString("name"), JsonColumns.map(rs.getString("settings")), rs.getString("sealed_secrets"),
                JsonColumns.list(rs.getString("events")), JsonColumns.map(rs.getString("event_map")),
                DeliveryMode.fromWireName(rs.getString("mode")).orElseThrow(() -> unknown("mode", rs)),
                AttributionModel.fromWireName(rs.getString("model")).orElseThrow(() -> unknown("model", rs)),
                rs.getString("base_url"), rs.getInt("enabled") != 0, Statements.instant(rs, "created_at"),
                Statements.instant(rs, "updated_at"));
    }

    static DestinationType type(String wireName) {
        return DestinationType.fromWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("stored destination type " + wireName + " is unknown"));
    }

    private static IllegalStateException unknown(String column, ResultSet rs) {
        try {
            return new IllegalStateException("stored destination " + column + " " + rs.getString(column) + " is unknown");
        } catch (SQLException e) {
            return new IllegalStateException("stored destination " + column + " is unknown", e);
        }
    }
}
