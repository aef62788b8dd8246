package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.DestinationStore.HistoryRead;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What enrichment reads of the profiles of a whole step of conversions, one query per table for all of them: each
 * conversion's profile cluster, the cluster's latest events up to the conversion, the events where its identifiers were
 * first seen, and those events' bodies, each parsed once however many conversions share it (whole, or only what
 * enrichment takes of it).
 */
final class EnrichmentReads {
    /** Profiles per UNION ALL statement reading each one's latest events: one short indexed read per profile. */
    private static final int LATEST_PER_STATEMENT = 50;
    /** One profile's latest events up to a sequence, along its (profile, seq) index. */
    private static final String LATEST = "SELECT profile_id, seq, event_id FROM identity_event_profiles"
            + " WHERE profile_id = ? AND seq <= ? ORDER BY seq DESC LIMIT ?";

    private EnrichmentReads() {
    }

    private record Linked(String profileId, long seq, String eventId) {
    }

    private record Stored(long seq, long at, String workspaceId, String body) {
    }

    /** The answer to each read, in the order of {@code reads}; see DestinationStore#histories. */
    static List<List<Event>> histories(Connection c, boolean inProcess, List<HistoryRead> reads, int recent,
                                       Collection<String> signals) throws SQLException {
        return histories(c, inProcess, reads, recent, signals, EventJson::read, true);
    }

    /**
     * {@link #histories} with each stored body read by {@code parse}, and without the event at each read's {@code
     * upToSeq} unless {@code withLast}: enrichment never takes from the conversion it enriches, so its body need not
     * be read again. {@code inProcess}: see {@link SqlDialect#inProcess}.
     */
    static <T> List<List<T>> histories(Connection c, boolean inProcess, List<HistoryRead> reads, int recent,
                                       Collection<String> signals, Function<String, T> parse, boolean withLast)
            throws SQLException {
        Map<String, List<String>> clusters = clusters(c, reads);
        Set<String> members = new LinkedHashSet<>();
        clusters.values().forEach(members::addAll);
        long lowest = Long.MAX_VALUE, highest = Long.MIN_VALUE;
        for (HistoryRead r : reads) {
            if (!clusters.containsKey(key(r))) continue;
            lowest = Math.min(lowest, r.upToSeq());
            highest = Math.max(highest, r.upToSeq());
        }
        Map<String, List<Linked>> latest = latest(c, inProcess, members, lowest, highest, recent);
        Map<String, List<String>> firstSeen = firstSeen(c, members, signals);
        Set<String> ids = new LinkedHashSet<>();
        latest.values().forEach(rows -> rows.forEach(l -> ids.add(l.eventId())));
        firstSeen.values().forEach(ids::addAll);
        Map<String, Stored> stored = events(c, ids);
        Map<String, T> parsed = new HashMap<>();
        List<List<T>> out = new ArrayList<>(reads.size());
        for (HistoryRead r : reads) {
            List<String> cluster = clusters.get(key(r));
            if (cluster == null) {
                out.add(List.of());
                continue;
            }
            Set<String> mine = new LinkedHashSet<>();
            List<Linked> candidates = new ArrayList<>();
            for (String p : cluster) {
                for (Linked l : latest.getOrDefault(p, List.of())) if (l.seq() <= r.upToSeq()) candidates.add(l);
            }
            candidates.sort(Comparator.comparingLong(Linked::seq).reversed());
            for (Linked l : candidates.subList(0, Math.min(recent, candidates.size()))) mine.add(l.eventId());
            for (String p : cluster) mine.addAll(firstSeen.getOrDefault(p, List.of()));
            List<String> kept = new ArrayList<>();
            for (String id : mine) {
                Stored s = stored.get(id);
                if (s != null && r.workspaceId().equals(s.workspaceId()) && s.at() >= r.from().toEpochMilli()
                        && s.at() <= r.to().toEpochMilli() && (withLast || s.seq() != r.upToSeq())) kept.add(id);
            }
            kept.sort(Comparator.<String>comparingLong(id -> stored.get(id).at())
                    .thenComparingLong(id -> stored.get(id).seq()).reversed());
            List<T> events = new ArrayList<>(kept.size());
            for (String id : kept) events.add(parsed.computeIfAbsent(id, k -> parse.apply(stored.get(k).body())));
            out.add(events);
        }
        return out;
    }

    private static String key(HistoryRead r) {
        return r.workspaceId() + '\n' + r.profileId();
    }

    /**
     * Every profile of each read's cluster (a profile merged away still finds its survivor's), keyed by workspace and
     * profile; a profile not stored in the read's workspace has no entry.
     */
    private static Map<String, List<String>> clusters(Connection c, List<HistoryRead> reads) throws SQLException {
        Set<String> profiles = new LinkedHashSet<>();
        for (HistoryRead r : reads) profiles.add(r.profileId());
        Map<String, List<String>> out = new HashMap<>();
        for (List<String> chunk : Statements.chunks(profiles)) {
            for (String[] row : Statements.list(c, "SELECT p.workspace_id, p.id, q.id FROM identity_profiles p"
                    + " JOIN identity_profiles q ON q.canonical_id = p.canonical_id AND q.workspace_id = p.workspace_id"
                    + " WHERE p.id IN (" + Statements.marks(chunk.size()) + ")",
                    rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}, chunk.toArray())) {
                out.computeIfAbsent(row[0] + '\n' + row[1], k -> new ArrayList<>()).add(row[2]);
            }
        }
        return out;
    }

    /**
     * Of each profile, its {@code recent} latest events up to {@code lowest}, and all of them from there up to {@code
     * highest}: together they hold every read's latest events, whatever sequence in between it reads up to. In process
     * (SQLite) one prepared statement runs per profile; a UNION ALL of 50 had to be planned afresh for every 50, which
     * cost three times the reads themselves. Over a network (PostgreSQL) the UNION ALL saves the round trips.
     */
    private static Map<String, List<Linked>> latest(Connection c, boolean inProcess, Collection<String> profiles,
                                                    long lowest, long highest, int recent) throws SQLException {
        Map<String, List<Linked>> out = new HashMap<>();
        if (profiles.isEmpty() || recent <= 0) return out;
        if (inProcess) {
            try (PreparedStatement ps = c.prepareStatement(LATEST)) {
                for (String p : profiles) {
                    Statements.bind(ps, p, lowest, recent);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) collect(out, linked(rs));
                    }
                }
            }
        } else {
            List<String> all = List.copyOf(profiles);
            for (int i = 0; i < all.size(); i += LATEST_PER_STATEMENT) {
                List<String> chunk = all.subList(i, Math.min(all.size(), i + LATEST_PER_STATEMENT));
                List<String> parts = new ArrayList<>();
                List<Object> params = new ArrayList<>();
                for (int n = 0; n < chunk.size(); n++) {
                    parts.add("SELECT * FROM (" + LATEST + ") AS latest" + n);
                    params.add(chunk.get(n));
                    params.add(lowest);
                    params.add(recent);
                }
                for (Linked l : Statements.list(c, String.join(" UNION ALL ", parts), EnrichmentReads::linked, params.toArray())) {
                    collect(out, l);
                }
            }
        }
        if (highest > lowest) {
            for (List<String> chunk : Statements.chunks(profiles)) {
                for (Linked l : Statements.list(c, "SELECT profile_id, seq, event_id FROM identity_event_profiles WHERE profile_id IN ("
                        + Statements.marks(chunk.size()) + ") AND seq > ? AND seq <= ?", EnrichmentReads::linked,
                        Statements.params(chunk, lowest, highest))) {
                    collect(out, l);
                }
            }
        }
        return out;
    }

    private static Linked linked(ResultSet rs) throws SQLException {
        return new Linked(rs.getString(1), rs.getLong(2), rs.getString(3));
    }

    private static void collect(Map<String, List<Linked>> out, Linked l) {
        out.computeIfAbsent(l.profileId(), k -> new ArrayList<>()).add(l);
    }

    /** The events where each profile's identifiers of the {@code signals} types were first seen. */
    private static Map<String, List<String>> firstSeen(Connection c, Collection<String> profiles, Collection<String> signals)
            throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        if (signals.isEmpty()) return out;
        List<String> types = List.copyOf(signals);
        for (List<String> chunk : Statements.chunks(profiles)) {
            for (String[] row : Statements.list(c, "SELECT profile_id, event_id FROM identity_links WHERE profile_id IN ("
                    + Statements.marks(chunk.size()) + ") AND type IN (" + Statements.marks(types.size()) + ")",
                    rs -> new String[]{rs.getString(1), rs.getString(2)}, Statements.params(chunk, types.toArray()))) {
                out.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]);
            }
        }
        return out;
    }

    /**
     * The events by id alone, along its unique index: with the workspace and time in the query, SQLite's planner took
     * the (workspace, time) index and read every event of the window.
     */
    private static Map<String, Stored> events(Connection c, Collection<String> ids) throws SQLException {
        Map<String, Stored> out = new HashMap<>();
        for (List<String> chunk : Statements.chunks(ids)) {
            for (Object[] r : Statements.list(c, "SELECT id, seq, event_time, workspace_id, body FROM events WHERE id IN ("
                    + Statements.marks(chunk.size()) + ")", rs -> new Object[]{rs.getString(1),
                    new Stored(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5))}, chunk.toArray())) {
                out.put((String) r[0], (Stored) r[1]);
            }
        }
        return out;
    }
}
