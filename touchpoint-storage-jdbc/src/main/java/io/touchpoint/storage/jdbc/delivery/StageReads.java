package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.store.DestinationStore.Batch;
import io.touchpoint.core.store.DestinationStore.Routable;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.storage.jdbc.sql.EventJson;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the delivery stage reads of the other stages' results: events to route and stored credits. */
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
        return routable(c, "", List.of(), after, upTo, limit, names, conversions);
    }

    /** {@link #routable} of one track in Kafka mode: the events of one log partition, or those stored without one (null). */
    static Batch routableOn(Connection c, Integer partition, long after, long upTo, int limit, Collection<String> names,
                            boolean conversions) throws SQLException {
        return partition == null ? routable(c, " AND e.log_partition IS NULL", List.of(), after, upTo, limit, names, conversions)
                : routable(c, " AND e.log_partition = ?", List.of(partition), after, upTo, limit, names, conversions);
    }

    private static Batch routable(Connection c, String track, List<Object> trackParams, long after, long upTo, int limit,
                                  Collection<String> names, boolean conversions) throws SQLException {
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
                        + " WHERE e.seq > ? AND e.seq <= ?" + track + " ORDER BY e.seq LIMIT ?",
                rs -> new Looked(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, rs.getString(4)),
                Statements.params(wanted, Statements.params(List.of(after, upTo), Statements.params(trackParams, limit))));
        List<Routable> out = new ArrayList<>();
        for (Looked l : looked) {
            if (l.body() != null) out.add(new Routable(l.seq(), EventJson.read(l.body()), l.profileId(), l.conversion()));
        }
        // a track's events are a share of the sequence: having read all of them up to upTo, it has passed upTo
        if (!track.isEmpty() && looked.size() < limit) return new Batch(out, upTo);
        return new Batch(out, looked.isEmpty() ? after : looked.get(looked.size() - 1).seq());
    }

    static void checkRuleBased(AttributionModel model) {
        if (!AttributionModel.RULE_BASED.contains(model)) {
            throw new IllegalArgumentException(model.wireName() + " is not a rule-based model: its credits are not stored");
        }
    }

    /**
     * The conversions' credit under one rule-based model, summed per platform, by event id; platforms credited nothing
     * are left out, and so are conversions credited nothing.
     */
    static Map<String, Map<Platform, Double>> credits(Connection c, Collection<String> eventIds, AttributionModel model)
            throws SQLException {
        checkRuleBased(model);
        Map<String, Map<Platform, Double>> out = new HashMap<>();
        for (List<String> chunk : Statements.chunks(new LinkedHashSet<>(eventIds))) {
            // the column is the model's wire name, a fixed identifier from the enum, never user text
            for (Object[] r : Statements.list(c, "SELECT event_id, platform, SUM(" + model.wireName() + ") FROM attribution_credits"
                    + " WHERE event_id IN (" + Statements.marks(chunk.size()) + ") GROUP BY event_id, platform",
                    rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getDouble(3)}, chunk.toArray())) {
                double credit = (Double) r[2];
                if (credit > 0) {
                    out.computeIfAbsent((String) r[0], k -> new EnumMap<>(Platform.class))
                            .put(Platform.valueOf(((String) r[1]).toUpperCase(Locale.ROOT)), credit);
                }
            }
        }
        return out;
    }
}
