package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.attribution.Platform;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.DestinationStore.Batch;
import io.touchpoint.core.store.DestinationStore.Routable;
import io.touchpoint.storage.jdbc.EventJson;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the delivery stage reads of the other stages' results: events to route, a profile's events, stored credits. */
final class StageReads {
    private StageReads() {
    }

    private record Looked(long seq, String profileId, boolean conversion, String body) {
    }

    /**
     * One pass along the events' sequence: a bounded batch whatever share of it is wanted. The body comes back only
     * for wanted events, so the ones no destination takes cost neither the read of their JSON nor its parsing.
     */
    static Batch routable(Connection c, long after, long upTo, int limit, Collection<String> names, boolean conversions)
            throws SQLException {
        List<String> wanted = List.copyOf(names);
        List<String> terms = new ArrayList<>();
        if (!wanted.isEmpty()) terms.add("e.name IN (" + Statements.marks(wanted.size()) + ")");
        if (conversions) terms.add("c.event_id IS NOT NULL");
        String isWanted = terms.isEmpty() ? "1 = 0" : String.join(" OR ", terms);
        List<Looked> looked = Statements.list(c, "SELECT e.seq, p.canonical_id,"
                        + " CASE WHEN c.event_id IS NULL THEN 0 ELSE 1 END AS conversion,"
                        + " CASE WHEN " + isWanted + " THEN e.body END AS body"
                        + " FROM events e"
                        + " LEFT JOIN identity_event_profiles ep ON ep.event_id = e.id"
                        + " LEFT JOIN identity_profiles p ON p.id = ep.profile_id"
                        + " LEFT JOIN attribution_conversions c ON c.event_id = e.id"
                        + " WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?",
                rs -> new Looked(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, rs.getString(4)),
                Statements.params(wanted, after, upTo, limit));
        List<Routable> out = new ArrayList<>();
        for (Looked l : looked) {
            if (l.body() != null) out.add(new Routable(l.seq(), EventJson.read(l.body()), l.profileId(), l.conversion()));
        }
        return new Batch(out, looked.isEmpty() ? after : looked.get(looked.size() - 1).seq());
    }

    /**
     * The events of every profile in the cluster of {@code profileId} (resolved to its canonical id first, so a
     * profile merged away still finds its survivor's), newest first: each member's events along
     * identity_event_profiles' (profile_id, seq) index, then the events by id.
     */
    static List<Event> profileEvents(Connection c, String workspaceId, String profileId, Instant from, Instant to, int limit)
            throws SQLException {
        return Statements.list(c, "SELECT e.body FROM identity_profiles p"
                        + " JOIN identity_event_profiles ep ON ep.profile_id = p.id"
                        + " JOIN events e ON e.id = ep.event_id"
                        + " WHERE p.canonical_id = (SELECT canonical_id FROM identity_profiles WHERE id = ? AND workspace_id = ?)"
                        + " AND p.workspace_id = ? AND e.event_time >= ? AND e.event_time <= ?"
                        + " ORDER BY e.event_time DESC, e.seq DESC LIMIT ?",
                rs -> EventJson.read(rs.getString(1)), profileId, workspaceId, workspaceId, from, to, limit);
    }

    static void checkRuleBased(AttributionModel model) {
        if (!AttributionModel.RULE_BASED.contains(model)) {
            throw new IllegalArgumentException(model.wireName() + " is not a rule-based model: its credits are not stored");
        }
    }

    /** The conversion's credit under one rule-based model, summed per platform; platforms credited nothing are left out. */
    static Map<Platform, Double> credits(Connection c, String eventId, AttributionModel model) throws SQLException {
        checkRuleBased(model);
        // the column is the model's wire name, a fixed identifier from the enum, never user text
        Map<Platform, Double> out = new EnumMap<>(Platform.class);
        for (Object[] r : Statements.list(c, "SELECT platform, SUM(" + model.wireName() + ") FROM attribution_credits"
                + " WHERE event_id = ? GROUP BY platform", rs -> new Object[]{rs.getString(1), rs.getDouble(2)}, eventId)) {
            double credit = (Double) r[1];
            if (credit > 0) out.put(Platform.valueOf(((String) r[0]).toUpperCase(Locale.ROOT)), credit);
        }
        return out;
    }
}
