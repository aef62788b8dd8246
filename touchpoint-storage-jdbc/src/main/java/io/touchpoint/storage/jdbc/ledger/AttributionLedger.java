package io.touchpoint.storage.jdbc.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.storage.jdbc.sql.StatementCache;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What the attribution stage, the attribution reads and erasure share of the attribution tables: the stage's lock,
 * taking conversions and erased events out (their credits leave the rollup), and the settings and time zone a
 * workspace's conversions are counted under.
 */
public final class AttributionLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttributionLedger() {
    }

    /**
     * The highest sequence number up to which the attribution stage has attributed every event: its global cursor,
     * and just below the first unattributed event of each ingest log partition (Kafka mode, where the stage follows
     * each partition behind a position of its own). Without Kafka the positions follow the global cursor, and this is it.
     */
    public static final String ATTRIBUTION_FRONTIER = "SELECT MIN(f.seq) FROM (SELECT seq FROM attribution_cursor WHERE id = 1"
            + " UNION ALL SELECT (SELECT MIN(e.seq) FROM events e WHERE e.log_partition = s.log_partition AND e.seq > s.seq) - 1"
            + " FROM stage_partition_cursors s WHERE s.stage = 'attribution') f";

    /** The workspace's attribution settings, or the defaults when none are stored. */
    public static AttributionSettings settingsOn(StatementCache st, String ws) throws SQLException {
        List<String> json = st.list("SELECT settings FROM attribution_settings WHERE workspace_id = ?", rs -> rs.getString(1), ws);
        return json.isEmpty() ? AttributionSettings.DEFAULTS : readSettings(json.get(0));
    }

    /** Settings as attribution_settings.settings stores them. */
    public static String settingsJson(AttributionSettings s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("lookbackDays", s.lookbackDays());
        o.put("halfLifeDays", s.halfLifeDays());
        if (s.conversionEvents() != null) s.conversionEvents().forEach(o.putArray("conversionEvents")::add);
        o.put("visitTimeoutMinutes", s.visitTimeoutMinutes());
        return o.toString();
    }

    private static AttributionSettings readSettings(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            List<String> events = null;
            if (o.has("conversionEvents")) {
                events = new ArrayList<>();
                for (JsonNode n : o.get("conversionEvents")) events.add(n.asText());
            }
            return new AttributionSettings(o.path("lookbackDays").asInt(AttributionSettings.DEFAULT_LOOKBACK_DAYS),
                    o.path("halfLifeDays").asDouble(AttributionSettings.DEFAULT_HALF_LIFE_DAYS), events,
                    o.path("visitTimeoutMinutes").asInt(AttributionSettings.DEFAULT_VISIT_TIMEOUT_MINUTES));
        } catch (Exception e) {
            throw new StoreException("stored attribution settings are unreadable: " + e.getMessage(), e);
        }
    }

    /** The workspace's time zone, in which conversions and touchpoints are counted per day (UTC when unknown). */
    public static ZoneId zone(StatementCache st, String ws) throws SQLException {
        List<String> tz = st.list("SELECT time_zone FROM workspaces WHERE id = ?", rs -> rs.getString(1), ws);
        return tz.isEmpty() ? ZoneId.of("UTC") : ZoneId.of(tz.get(0));
    }

    /** Takes a conversion out: its credits leave the rollup, its rows go. */
    public static void forgetConversion(StatementCache st, RollupDeltas rollup, String eventId) throws SQLException {
        for (Conversion conv : st.list("SELECT " + Conversion.COLUMNS
                + " FROM attribution_conversions WHERE event_id = ?", Conversion::read, eventId)) {
            rollup.changed(conv.workspaceId(), conv.day());
            for (CreditRows.Row row : CreditRows.read(st, eventId)) {
                for (AttributionModel m : AttributionModel.RULE_BASED) rollup.add(conv, row.touchpoint(), m, row.credit(m), -1);
            }
        }
        st.update("DELETE FROM attribution_credits WHERE event_id = ?", eventId);
        st.update("DELETE FROM attribution_conversions WHERE event_id = ?", eventId);
    }

    /**
     * Takes the attribution stage's row lock until the transaction ends. The stage takes it before it reads, and
     * erasure before it forgets, so on PostgreSQL a stage batch that read an event cannot commit its touchpoints
     * after an erasure removed the rest (SQLite's single writer already keeps them apart).
     */
    public static void lockStage(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE attribution_cursor SET seq = seq WHERE id = 1")) {
            ps.executeUpdate();
        }
    }

    /**
     * Removes erased events' touchpoints, conversions and credits, taking the credits out of the rollup and noting
     * their days as changed (stored data-driven runs over them become stale).
     */
    public static void forgetEvents(Connection c, List<String> eventIds) throws SQLException {
        try (StatementCache st = new StatementCache(c)) {
            RollupDeltas rollup = new RollupDeltas();
            WorkspaceTerms terms = new WorkspaceTerms(st);
            for (String id : eventIds) {
                forgetConversion(st, rollup, id);
                for (String[] t : st.list("SELECT id, workspace_id, profile_id, started_at FROM attribution_touchpoints WHERE event_id = ?",
                        rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, id)) {
                    ProfilePaths.remove(st, t[1], t[2], Long.parseLong(t[0]));
                    rollup.changed(t[1], terms.day(t[1], Long.parseLong(t[3])));
                }
                st.update("DELETE FROM attribution_touchpoints WHERE event_id = ?", id);
            }
            rollup.write(st);
        }
    }
}
