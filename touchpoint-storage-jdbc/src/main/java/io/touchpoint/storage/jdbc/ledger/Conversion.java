package io.touchpoint.storage.jdbc.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A row of attribution_conversions: a conversion, its day in the workspace's zone, and its value when it has one. */
public record Conversion(String eventId, String workspaceId, Instant at, String day, String eventName, Double value,
                         String currency) {
    /** The columns {@link #read} reads. */
    public static final String COLUMNS = "event_id, workspace_id, converted_at, day, event_name, value, currency";

    double valueOrZero() {
        return value == null ? 0 : value;
    }

    public static Conversion read(ResultSet rs) throws SQLException {
        double v = rs.getDouble("value");
        Double value = rs.wasNull() ? null : v;
        return new Conversion(rs.getString("event_id"), rs.getString("workspace_id"),
                Instant.ofEpochMilli(rs.getLong("converted_at")), rs.getString("day"), rs.getString("event_name"), value,
                rs.getString("currency"));
    }
}
