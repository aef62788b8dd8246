package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Event;
import io.touchpoint.storage.jdbc.sql.EventJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The enriched events the outbox sends, one row per distinct body: the destinations an event goes to mostly enrich it
 * alike, and storing it once instead of once per destination is most of what routing an event writes.
 */
final class Payloads {
    /** The distinct bodies of a batch of entries, and which of them each entry sends (-1: an entry without an event). */
    record Plan(List<OutboxEntry> owners, List<String> bodies, int[] of) {
    }

    private Payloads() {
    }

    /**
     * Pure CPU, done before the write lock is taken: an event enriched the same way for several entries is written
     * once. Bodies are told apart among those of the same event id, the same instance first: hashing whole events
     * cost more than writing them.
     */
    static Plan plan(List<OutboxEntry> entries) {
        Map<String, List<Integer>> byEvent = new HashMap<>();
        List<OutboxEntry> owners = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        int[] of = new int[entries.size()];
        for (int i = 0; i < of.length; i++) {
            OutboxEntry e = entries.get(i);
            if (e.event() == null) {
                of[i] = -1;
                continue;
            }
            List<Integer> candidates = byEvent.computeIfAbsent(e.event().id(), k -> new ArrayList<>(2));
            Integer known = same(candidates, owners, e.event());
            if (known == null) {
                known = bodies.size();
                candidates.add(known);
                owners.add(e);
                bodies.add(EventJson.write(e.event()));
            }
            of[i] = known;
        }
        return new Plan(owners, bodies, of);
    }

    private static Integer same(List<Integer> candidates, List<OutboxEntry> owners, Event event) {
        for (Integer b : candidates) {
            if (owners.get(b).event() == event) return b;
        }
        for (Integer b : candidates) {
            if (owners.get(b).event().equals(event)) return b;
        }
        return null;
    }

    /** Inserts the plan's bodies of the entries still wanted ({@code wanted[i]}); answers each body's row id (0: not stored). */
    static long[] insert(Connection c, Plan plan, boolean[] wanted) throws SQLException {
        boolean[] needed = new boolean[plan.bodies().size()];
        for (int i = 0; i < plan.of().length; i++) {
            if (wanted[i] && plan.of()[i] >= 0) needed[plan.of()[i]] = true;
        }
        long[] ids = new long[needed.length];
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO delivery_payloads (workspace_id, event_id, body) VALUES (?, ?, ?) RETURNING id")) {
            for (int b = 0; b < needed.length; b++) {
                if (!needed[b]) continue;
                OutboxEntry owner = plan.owners().get(b);
                Statements.bind(ps, owner.workspaceId(), owner.eventId(), plan.bodies().get(b));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ids[b] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    /** Removes those of these payloads no entry refers to (an entry already in the outbox kept its own). */
    static void dropUnused(Connection c, Collection<Long> ids) throws SQLException {
        for (List<Long> chunk : Statements.chunks(new LinkedHashSet<>(ids))) {
            Statements.update(c, "DELETE FROM delivery_payloads WHERE id IN (" + Statements.marks(chunk.size()) + ")"
                    + " AND NOT EXISTS (SELECT 1 FROM delivery_outbox o WHERE o.payload_id = delivery_payloads.id)", chunk.toArray());
        }
    }

    /** The events of these payloads, each read once however many entries send it. */
    static Map<Long, Event> read(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, Event> out = new HashMap<>();
        for (List<Long> chunk : Statements.chunks(new LinkedHashSet<>(ids))) {
            for (Object[] r : Statements.list(c, "SELECT id, body FROM delivery_payloads WHERE id IN ("
                    + Statements.marks(chunk.size()) + ")", rs -> new Object[]{rs.getLong(1), rs.getString(2)}, chunk.toArray())) {
                out.put((Long) r[0], EventJson.read((String) r[1]));
            }
        }
        return out;
    }
}
