package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * The terms a workspace's events are counted under within one transaction: its attribution settings and its time
 * zone, each read once however many of its events the transaction handles.
 */
public final class WorkspaceTerms {
    private final StatementCache st;
    private final Map<String, AttributionSettings> settings = new HashMap<>();
    private final Map<String, ZoneId> zones = new HashMap<>();

    public WorkspaceTerms(StatementCache st) {
        this.st = st;
    }

    /** The workspace's attribution settings ({@link AttributionLedger#settingsOn}). */
    public AttributionSettings settings(String ws) throws SQLException {
        AttributionSettings s = settings.get(ws);
        if (s == null) {
            s = AttributionLedger.settingsOn(st, ws);
            settings.put(ws, s);
        }
        return s;
    }

    /** The workspace's time zone ({@link AttributionLedger#zone}). */
    public ZoneId zone(String ws) throws SQLException {
        ZoneId z = zones.get(ws);
        if (z == null) {
            z = AttributionLedger.zone(st, ws);
            zones.put(ws, z);
        }
        return z;
    }

    /** The day (YYYY-MM-DD) of an instant in the workspace's time zone, as conversions, touchpoints and visits are counted. */
    public String day(String ws, long epochMillis) throws SQLException {
        return Instant.ofEpochMilli(epochMillis).atZone(zone(ws)).toLocalDate().toString();
    }
}
