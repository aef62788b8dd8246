package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.DestinationStore.Batch;
import io.touchpoint.core.store.DestinationStore.Routable;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.storage.jdbc.sql.EventJson;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
     * What enrichment reads of the cluster of {@code profileId} (resolved to its canonical id first, so a profile
     * merged away still finds its survivor's): its {@code recent} latest events up to sequence {@code upToSeq}, and the
     * event where each of its {@code signals} identifiers was first seen; those of them from {@code from} to {@code to},
     * newest first. Reading these instead of the whole history keeps a conversion's cost flat however many events its
     * profile has.
     */
    static List<Event> profileEvents(Connection c, String workspaceId, String profileId, long upToSeq, Instant from, Instant to,
                                     int recent, Collection<String> signals) throws SQLException {
        List<String> cluster = Statements.list(c, "SELECT id FROM identity_profiles WHERE workspace_id = ? AND canonical_id ="
                + " (SELECT canonical_id FROM identity_profiles WHERE id = ? AND workspace_id = ?)", rs -> rs.getString(1),
                workspaceId, profileId, workspaceId);
        if (cluster.isEmpty()) return List.of();
        Set<String> ids = new LinkedHashSet<>();
        for (List<String> chunk : Statements.chunks(cluster)) {
            String in = Statements.marks(chunk.size());
            ids.addAll(Statements.list(c, "SELECT event_id FROM identity_event_profiles WHERE profile_id IN (" + in + ")"
                    + " AND seq <= ? ORDER BY seq DESC LIMIT ?", rs -> rs.getString(1), Statements.params(chunk, upToSeq, recent)));
            if (!signals.isEmpty()) {
                List<String> types = List.copyOf(signals);
                ids.addAll(Statements.list(c, "SELECT event_id FROM identity_links WHERE profile_id IN (" + in + ")"
                        + " AND type IN (" + Statements.marks(types.size()) + ")", rs -> rs.getString(1),
                        Statements.params(chunk, types.toArray())));
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (List<String> chunk : Statements.chunks(List.copyOf(ids))) {
            // by id alone, along its unique index: with the workspace and time in the query, SQLite's planner took the
            // (workspace, time) index and read every event of the window for each conversion
            for (Object[] r : Statements.list(c, "SELECT seq, event_time, body, workspace_id FROM events WHERE id IN ("
                    + Statements.marks(chunk.size()) + ")", rs -> new Object[]{rs.getLong(1), rs.getLong(2), rs.getString(3),
                    rs.getString(4)}, chunk.toArray())) {
                long at = (Long) r[1];
                if (workspaceId.equals(r[3]) && at >= from.toEpochMilli() && at <= to.toEpochMilli()) rows.add(r);
            }
        }
        rows.sort(Comparator.<Object[]>comparingLong(r -> (Long) r[1]).thenComparingLong(r -> (Long) r[0]).reversed());
        List<Event> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) out.add(EventJson.read((String) r[2]));
        return out;
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
