package io.touchpoint.storage.jdbc;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.EventTouch;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.Visits;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One batch of the processor's attribution stage, on its write transaction: merges made and undone since the last
 * batch mark their profiles for recomputation; each resolved event becomes a touchpoint (or continues the visit in
 * progress) and, when its name is a conversion, a conversion; finally every profile whose path may have changed
 * has its conversions' credits recomputed, and the rollup that reports read is adjusted by the difference.
 */
final class AttributionStage {
    private static final String TOUCH_SELECT = "SELECT id, started_at, last_seen_at, click_id, " + StoredTouchRows.COLUMNS
            + " FROM attribution_touchpoints";

    record Conversion(String eventId, String workspaceId, Instant at, String day, String eventName, Double value,
                      String currency) {
        double valueOrZero() {
            return value == null ? 0 : value;
        }
    }

    private record ProfileKey(String workspaceId, String canonicalId) {
    }

    private record Resolved(long seq, Event event, String profileId, String canonicalId) {
    }

    private final StatementCache st;
    private final Map<String, AttributionSettings> settings = new HashMap<>();
    private final Map<String, ZoneId> zones = new HashMap<>();
    private final Set<ProfileKey> dirty = new LinkedHashSet<>();
    private final RollupDeltas rollup = new RollupDeltas();

    AttributionStage(StatementCache st) {
        this.st = st;
    }

    static int run(Connection c, int limit) throws SQLException {
        try (StatementCache st = new StatementCache(c)) {
            return new AttributionStage(st).batch(limit);
        }
    }

    private int batch(int limit) throws SQLException {
        long[] cursor = st.list("SELECT seq, merge_id, undone_at FROM attribution_cursor WHERE id = 1",
                rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
        int handled = 0;
        long mergeId = cursor[1];
        for (String[] m : st.list("SELECT id, workspace_id, survivor_id FROM identity_merges WHERE id > ? AND outcome = ?"
                + " ORDER BY id", rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}, cursor[1], Profile.MergeRecord.MERGED)) {
            mergeId = Math.max(mergeId, Long.parseLong(m[0]));
            markDirty(m[1], m[2]);
            handled++;
        }
        long undoneAt = cursor[2];
        for (String[] m : st.list("SELECT undone_at, workspace_id, survivor_id, absorbed_id FROM identity_merges WHERE undone_at > ?",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, cursor[2])) {
            undoneAt = Math.max(undoneAt, Long.parseLong(m[0]));
            markDirty(m[1], m[2]);
            markDirty(m[1], m[3]);
            handled++;
        }

        long resolvedUpTo = st.list("SELECT seq FROM identity_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0);
        List<Resolved> events = st.list("SELECT e.seq, e.body, ep.profile_id, p.canonical_id FROM events e"
                        + " JOIN identity_event_profiles ep ON ep.event_id = e.id JOIN identity_profiles p ON p.id = ep.profile_id"
                        + " WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?",
                rs -> new Resolved(rs.getLong(1), EventJson.read(rs.getString(2)), rs.getString(3), rs.getString(4)),
                cursor[0], resolvedUpTo, limit);
        for (Resolved r : events) handle(r);
        handled += events.size();
        // fewer rows than asked for: every resolved event up to the identity cursor is read (erased ones have no row)
        long seq = events.size() == limit ? events.get(events.size() - 1).seq() : Math.max(cursor[0], resolvedUpTo);

        recomputeDirty();
        rollup.write(st);
        st.update("UPDATE attribution_cursor SET seq = ?, merge_id = ?, undone_at = ? WHERE id = 1", seq, mergeId, undoneAt);
        return handled;
    }

    private void markDirty(String workspaceId, String profileId) throws SQLException {
        List<String> canonical = st.list("SELECT canonical_id FROM identity_profiles WHERE id = ?", rs -> rs.getString(1), profileId);
        if (!canonical.isEmpty()) dirty.add(new ProfileKey(workspaceId, canonical.get(0)));
    }

    private AttributionSettings settings(String ws) {
        return settings.computeIfAbsent(ws, w -> {
            try {
                return JdbcAttributionStore.settingsOn(st, w);
            } catch (SQLException e) {
                throw new StoreException("cannot read attribution settings: " + e.getMessage(), e);
            }
        });
    }

    private ZoneId zone(String ws) throws SQLException {
        ZoneId z = zones.get(ws);
        if (z == null) {
            List<String> tz = st.list("SELECT time_zone FROM workspaces WHERE id = ?", rs -> rs.getString(1), ws);
            z = tz.isEmpty() ? ZoneId.of("UTC") : ZoneId.of(tz.get(0));
            zones.put(ws, z);
        }
        return z;
    }

    private void handle(Resolved r) throws SQLException {
        Event e = r.event();
        String ws = e.workspaceId();
        AttributionSettings s = settings(ws);
        Instant at = e.eventTime();
        Optional<EventTouch> touch = EventTouch.of(e);
        if (touch.isPresent()) {
            List<StoredTouch> latest = st.list(TOUCH_SELECT + " WHERE workspace_id = ? AND canonical_id = ?"
                    + " ORDER BY last_seen_at DESC, id DESC LIMIT 1", StoredTouchRows::stored, ws, r.canonicalId());
            StoredTouch last = latest.isEmpty() ? null : latest.get(0);
            if (Visits.continues(last, at, touch.get(), s.visitTimeout())) {
                if (at.isAfter(last.lastSeen())) {
                    st.update("UPDATE attribution_touchpoints SET last_seen_at = ? WHERE id = ?", at.toEpochMilli(), last.id());
                }
            } else {
                List<Object> params = new ArrayList<>(List.of(ws, e.id(), r.profileId(), r.canonicalId(), at.toEpochMilli(),
                        at.toEpochMilli()));
                params.add(touch.get().touchpoint().clickId());
                params.addAll(java.util.Arrays.asList(StoredTouchRows.values(touch.get().touchpoint())));
                st.update("INSERT INTO attribution_touchpoints (workspace_id, event_id, profile_id, canonical_id, started_at,"
                        + " last_seen_at, click_id, " + StoredTouchRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        params.toArray());
                // a late touchpoint may belong to conversions already credited
                if (!st.list("SELECT 1 FROM attribution_conversions WHERE workspace_id = ? AND canonical_id = ? AND converted_at >= ?"
                        + " LIMIT 1", rs -> 1, ws, r.canonicalId(), at.toEpochMilli()).isEmpty()) {
                    dirty.add(new ProfileKey(ws, r.canonicalId()));
                }
            }
        }
        if (s.isConversion(e.name())) {
            Double value = e.commerce().value() == null ? null : e.commerce().value().doubleValue();
            String currency = value == null || e.commerce().currency() == null ? "" : e.commerce().currency();
            String day = at.atZone(zone(ws)).toLocalDate().toString();
            st.update("INSERT INTO attribution_conversions (event_id, workspace_id, profile_id, canonical_id, converted_at, day,"
                            + " event_name, value, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                    e.id(), ws, r.profileId(), r.canonicalId(), at.toEpochMilli(), day, e.name(), value, currency);
            dirty.add(new ProfileKey(ws, r.canonicalId()));
        }
    }

    private void recomputeDirty() throws SQLException {
        // first bring every row of the affected profiles under today's canonical id, then recompute each profile
        for (ProfileKey p : dirty) {
            for (String table : List.of("attribution_touchpoints", "attribution_conversions")) {
                st.update("UPDATE " + table + " SET canonical_id = ? WHERE profile_id IN"
                        + " (SELECT id FROM identity_profiles WHERE canonical_id = ?) AND canonical_id <> ?",
                        p.canonicalId(), p.canonicalId(), p.canonicalId());
                st.update("UPDATE " + table + " SET canonical_id = COALESCE((SELECT ip.canonical_id FROM identity_profiles ip"
                        + " WHERE ip.id = " + table + ".profile_id), canonical_id) WHERE workspace_id = ? AND canonical_id = ?",
                        p.workspaceId(), p.canonicalId());
            }
        }
        for (ProfileKey p : dirty) recompute(p);
        dirty.clear();
    }

    private void recompute(ProfileKey p) throws SQLException {
        AttributionSettings s = settings(p.workspaceId());
        List<StoredTouch> touches = st.list(TOUCH_SELECT + " WHERE workspace_id = ? AND canonical_id = ?",
                StoredTouchRows::stored, p.workspaceId(), p.canonicalId());
        List<Conversion> conversions = st.list("SELECT event_id, workspace_id, converted_at, day, event_name, value, currency"
                        + " FROM attribution_conversions WHERE workspace_id = ? AND canonical_id = ?",
                AttributionStage::conversion, p.workspaceId(), p.canonicalId());
        for (Conversion conv : conversions) {
            ConversionCredits fresh = ConversionCredits.compute(conv.at(), touches, s);
            List<CreditRows.Row> old = CreditRows.read(st, conv.eventId());
            if (CreditRows.same(old, fresh)) continue;
            for (CreditRows.Row row : old) {
                for (AttributionModel m : AttributionModel.RULE_BASED) rollup.add(conv, row.touchpoint(), m, row.credit(m), -1);
            }
            for (int i = 0; i < fresh.path().size(); i++) {
                for (AttributionModel m : AttributionModel.RULE_BASED) {
                    rollup.add(conv, fresh.path().get(i).touchpoint(), m, fresh.credits().get(m)[i], 1);
                }
            }
            CreditRows.replace(st, conv.eventId(), fresh);
        }
    }

    static Conversion conversion(ResultSet rs) throws SQLException {
        double v = rs.getDouble("value");
        Double value = rs.wasNull() ? null : v;
        return new Conversion(rs.getString("event_id"), rs.getString("workspace_id"),
                Instant.ofEpochMilli(rs.getLong("converted_at")), rs.getString("day"), rs.getString("event_name"), value,
                rs.getString("currency"));
    }
}
