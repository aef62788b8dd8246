package io.touchpoint.storage.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.IdentityGraph;
import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.identity.ResolutionInput;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.IdentityStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The identity graph over SQL. {@link #processNext} runs the pure {@link IdentityResolver} against the stored
 * graph inside the write transaction that also advances the cursor, so a crash leaves either all of a batch or
 * none of it. Profile ids derive from the event that created the profile, so re-running a batch after a crash
 * creates the same ids.
 */
final class JdbcIdentityStore implements IdentityStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcDatabase db;

    JdbcIdentityStore(JdbcDatabase db) {
        this.db = db;
    }

    static String profileIdFor(String eventId) {
        return "prof_" + (eventId.startsWith("evt_") ? eventId.substring(4) : eventId);
    }

    @Override
    public long cursor() {
        return db.read(JdbcIdentityStore::cursorOn);
    }

    private static long cursorOn(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM identity_cursor WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public long latestSequence() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM events");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public int processNext(int limit) {
        return db.write(c -> {
            long cursor = cursorOn(c);
            List<long[]> seqs = new ArrayList<>();
            List<Event> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, cursor);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(new long[]{rs.getLong(1)});
                        events.add(EventJson.read(rs.getString(2)));
                    }
                }
            }
            if (events.isEmpty()) return 0;
            Map<String, Guardrails> rails = new HashMap<>();
            try (Statements st = new Statements(c)) {
                for (int i = 0; i < events.size(); i++) {
                    Event e = events.get(i);
                    long seq = seqs.get(i)[0];
                    Guardrails g = rails.computeIfAbsent(e.workspaceId(), ws -> guardrailsOn(c, ws));
                    SqlGraph graph = new SqlGraph(st, e.workspaceId());
                    Resolution r = IdentityResolver.resolve(graph, g, ResolutionInput.of(seq, e), () -> profileIdFor(e.id()));
                    apply(st, e, r);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE identity_cursor SET seq = ? WHERE id = 1")) {
                ps.setLong(1, seqs.get(seqs.size() - 1)[0]);
                ps.executeUpdate();
            }
            return events.size();
        });
    }

    private static void apply(Statements c, Event e, Resolution r) throws SQLException {
        String ws = e.workspaceId();
        long time = e.eventTime().toEpochMilli();
        if (r.created()) {
            c.update("INSERT INTO identity_profiles (id, workspace_id, created_seq, created_at, merged_into, canonical_id)"
                    + " VALUES (?, ?, ?, ?, NULL, ?)", r.profileId(), ws, r.seq(), time, r.profileId());
        }
        for (Resolution.Merge m : r.merges()) {
            c.update("UPDATE identity_profiles SET merged_into = ? WHERE id = ?", m.survivor(), m.absorbed());
            c.update("UPDATE identity_profiles SET canonical_id = ? WHERE canonical_id = ?", m.survivor(), m.absorbed());
            logMerge(c, ws, m.survivor(), m.absorbed(), m.via(), m.rule(), Profile.MergeRecord.MERGED, e);
        }
        for (Resolution.Skip s : r.skipped()) {
            if (s.otherProfile() == null || Resolution.Skip.TYPE_LIMIT.equals(s.reason())) continue;
            logMerge(c, ws, r.profileId(), s.otherProfile(), s.identifier(), Resolution.RULE_STRONG, s.reason(), e);
        }
        for (Resolution.Link l : r.links()) {
            int touched = c.update("UPDATE identity_links SET last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END"
                            + " WHERE workspace_id = ? AND type = ? AND value = ? AND profile_id IN"
                            + " (SELECT id FROM identity_profiles WHERE canonical_id = ?)",
                    time, time, ws, l.identifier().type().wireName(), l.identifier().value(), l.profileId());
            if (touched == 0) {
                c.update("INSERT INTO identity_links (workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ws, l.identifier().type().wireName(), l.identifier().value(),
                        l.profileId(), l.rule(), e.id(), time, time);
            }
        }
        c.update("INSERT INTO identity_event_profiles (event_id, workspace_id, seq, profile_id) VALUES (?, ?, ?, ?)",
                e.id(), ws, r.seq(), r.profileId());
    }

    private static void logMerge(Statements c, String ws, String survivor, String absorbed, Identifier via, String rule,
                                 String outcome, Event e) throws SQLException {
        c.update("INSERT INTO identity_merges (workspace_id, survivor_id, absorbed_id, via_type, via_value, rule, outcome,"
                        + " event_id, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ws, survivor, absorbed, via.type().wireName(),
                via.value(), rule, outcome, e.id(), e.receivedAt().toEpochMilli());
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setParams(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Prepared statements kept for one batch: a resolution runs the same dozen statements for every event. */
    private static final class Statements implements AutoCloseable {
        private final Connection c;
        private final Map<String, PreparedStatement> cache = new HashMap<>();

        Statements(Connection c) {
            this.c = c;
        }

        PreparedStatement get(String sql, Object... params) throws SQLException {
            PreparedStatement ps = cache.get(sql);
            if (ps == null) {
                ps = c.prepareStatement(sql);
                cache.put(sql, ps);
            }
            Rows.setParams(ps, params);
            return ps;
        }

        int update(String sql, Object... params) throws SQLException {
            return get(sql, params).executeUpdate();
        }

        List<String> strings(String sql, Object... params) throws SQLException {
            try (ResultSet rs = get(sql, params).executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : cache.values()) ps.close();
        }
    }

    /** The stored graph of one workspace, read on the processor's own transaction. */
    private static final class SqlGraph implements IdentityGraph {
        private final Statements c;
        private final String ws;

        SqlGraph(Statements c, String ws) {
            this.c = c;
            this.ws = ws;
        }

        @Override
        public List<String> profilesLinkedTo(Identifier id) {
            return strings("SELECT DISTINCT p.canonical_id FROM identity_links l JOIN identity_profiles p ON p.id = l.profile_id"
                    + " WHERE l.workspace_id = ? AND l.type = ? AND l.value = ?", ws, id.type().wireName(), id.value());
        }

        @Override
        public String recentProfile(Identifier id, Instant since) {
            List<String> r = strings("SELECT p.canonical_id FROM identity_links l JOIN identity_profiles p ON p.id = l.profile_id"
                            + " WHERE l.workspace_id = ? AND l.type = ? AND l.value = ? AND l.last_seen_at >= ?"
                            + " ORDER BY l.last_seen_at DESC, p.created_seq DESC LIMIT 1",
                    ws, id.type().wireName(), id.value(), since.toEpochMilli());
            return r.isEmpty() ? null : r.get(0);
        }

        @Override
        public long createdSeq(String profileId) {
            try (ResultSet rs = c.get("SELECT created_seq FROM identity_profiles WHERE id = ?", profileId).executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no profile " + profileId);
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new StoreException("cannot read profile: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<String> values(String profileId, IdentifierType type) {
            return new HashSet<>(strings("SELECT l.value FROM identity_profiles p JOIN identity_links l ON l.profile_id = p.id"
                    + " WHERE p.canonical_id = ? AND l.type = ?", profileId, type.wireName()));
        }

        private List<String> strings(String sql, Object... params) {
            try {
                return c.strings(sql, params);
            } catch (SQLException e) {
                throw new StoreException("cannot read the identity graph: " + e.getMessage(), e);
            }
        }
    }

    static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setParams(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    // ---- guardrails ----

    @Override
    public Guardrails guardrails(String workspaceId) {
        return db.read(c -> guardrailsOn(c, workspaceId));
    }

    private static Guardrails guardrailsOn(Connection c, String ws) {
        try {
            List<String> json = strings(c, "SELECT settings FROM identity_guardrails WHERE workspace_id = ?", ws);
            return json.isEmpty() ? Guardrails.DEFAULTS : readGuardrails(json.get(0));
        } catch (SQLException e) {
            throw new StoreException("cannot read guardrails: " + e.getMessage(), e);
        }
    }

    @Override
    public void putGuardrails(String workspaceId, Guardrails g) {
        String json = writeGuardrails(g);
        db.write(c -> update(c, "INSERT INTO identity_guardrails (workspace_id, settings) VALUES (?, ?)"
                + " ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings", workspaceId, json));
    }

    static String writeGuardrails(Guardrails g) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode limits = o.putObject("limits");
        new TreeMap<>(g.limits()).forEach((t, n) -> limits.put(t.wireName(), n));
        var blocked = o.putArray("blockedValues");
        new TreeSet<>(g.blockedValues()).forEach(blocked::add);
        o.put("defaultBlocklist", g.defaultBlocklist());
        o.put("maxProfilesPerValue", g.maxProfilesPerValue());
        o.put("fingerprintWindowSeconds", g.fingerprintWindow().toSeconds());
        return o.toString();
    }

    static Guardrails readGuardrails(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            Map<IdentifierType, Integer> limits = new EnumMap<>(IdentifierType.class);
            o.path("limits").fields().forEachRemaining(f ->
                    IdentifierType.fromWireName(f.getKey()).ifPresent(t -> limits.put(t, f.getValue().asInt())));
            Set<String> blocked = new LinkedHashSet<>();
            o.path("blockedValues").forEach(v -> blocked.add(v.asText()));
            return new Guardrails(limits, blocked, o.path("defaultBlocklist").asBoolean(true),
                    o.path("maxProfilesPerValue").asInt(Guardrails.DEFAULT_MAX_PROFILES_PER_VALUE),
                    Duration.ofSeconds(o.path("fingerprintWindowSeconds").asLong(Guardrails.DEFAULT_FINGERPRINT_WINDOW.toSeconds())));
        } catch (Exception e) {
            throw new StoreException("stored guardrails are unreadable: " + e.getMessage(), e);
        }
    }

    // ---- queries ----

    private static Optional<String> canonicalOn(Connection c, String ws, String profileId) throws SQLException {
        List<String> r = strings(c, "SELECT canonical_id FROM identity_profiles WHERE workspace_id = ? AND id = ?", ws, profileId);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    @Override
    public Optional<String> findProfile(String workspaceId, Identifier identifier) {
        // a fingerprint is stored with the ip it was seen from (fingerprint|ip); asking for the bare one finds any
        boolean fingerprint = identifier.type() == IdentifierType.FINGERPRINT && !identifier.value().contains("|");
        String sql = "SELECT p.canonical_id FROM identity_links l JOIN identity_profiles p ON p.id = l.profile_id"
                + " WHERE l.workspace_id = ? AND l.type = ? AND " + (fingerprint ? "(l.value = ? OR substr(l.value, 1, ?) = ?)" : "l.value = ?")
                + " ORDER BY p.created_seq LIMIT 1";
        Object[] params = fingerprint
                ? new Object[]{workspaceId, identifier.type().wireName(), identifier.value(), identifier.value().length() + 1, identifier.value() + "|"}
                : new Object[]{workspaceId, identifier.type().wireName(), identifier.value()};
        return db.read(c -> {
            List<String> r = strings(c, sql, params);
            return r.isEmpty() ? Optional.<String>empty() : Optional.of(r.get(0));
        });
    }

    @Override
    public Optional<Profile> profile(String workspaceId, String profileId) {
        return db.read(c -> {
            Optional<String> canonical = canonicalOn(c, workspaceId, profileId);
            if (canonical.isEmpty()) return Optional.<Profile>empty();
            String id = canonical.get();
            Instant createdAt;
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM identity_profiles WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    createdAt = Instant.ofEpochMilli(rs.getLong(1));
                }
            }
            List<String> members = strings(c, "SELECT id FROM identity_profiles WHERE canonical_id = ? AND id <> ? ORDER BY created_seq", id, id);
            List<Profile.LinkedIdentifier> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT l.type, l.value, l.profile_id, l.rule, l.event_id, l.first_seen_at,"
                    + " l.last_seen_at FROM identity_profiles p JOIN identity_links l ON l.profile_id = p.id"
                    + " WHERE p.canonical_id = ? ORDER BY l.first_seen_at, l.type, l.value")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        IdentifierType t = IdentifierType.fromWireName(rs.getString(1)).orElseThrow();
                        ids.add(new Profile.LinkedIdentifier(new Identifier(t, rs.getString(2)), rs.getString(3), rs.getString(4),
                                rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
            }
            return Optional.of(new Profile(id, workspaceId, createdAt, members, ids, mergesOn(c, id)));
        });
    }

    private static List<Profile.MergeRecord> mergesOn(Connection c, String canonical) throws SQLException {
        List<Profile.MergeRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, survivor_id, absorbed_id, via_type, via_value, rule, outcome,"
                + " event_id, merged_at, undone_at FROM identity_merges WHERE survivor_id IN"
                + " (SELECT id FROM identity_profiles WHERE canonical_id = ?) OR absorbed_id IN"
                + " (SELECT id FROM identity_profiles WHERE canonical_id = ?) ORDER BY id")) {
            ps.setString(1, canonical);
            ps.setString(2, canonical);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    IdentifierType t = IdentifierType.fromWireName(rs.getString(4)).orElseThrow();
                    out.add(new Profile.MergeRecord(rs.getLong(1), rs.getString(2), rs.getString(3), new Identifier(t, rs.getString(5)),
                            rs.getString(6), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
                            Rows.instant(rs, "undone_at")));
                }
            }
        }
        return out;
    }

    @Override
    public List<Event> journey(String workspaceId, String profileId) {
        return db.read(c -> {
            Optional<String> canonical = canonicalOn(c, workspaceId, profileId);
            if (canonical.isEmpty()) return List.<Event>of();
            List<Event> out = new ArrayList<>();
            for (String body : strings(c, "SELECT e.body FROM identity_profiles p JOIN identity_event_profiles ep ON ep.profile_id = p.id"
                    + " JOIN events e ON e.id = ep.event_id WHERE p.canonical_id = ? ORDER BY e.event_time, e.seq", canonical.get())) {
                out.add(EventJson.read(body));
            }
            return out;
        });
    }

    @Override
    public Optional<String> profileOfEvent(String workspaceId, String eventId) {
        return Optional.ofNullable(profilesOfEvents(workspaceId, List.of(eventId)).get(eventId));
    }

    @Override
    public Map<String, String> profilesOfEvents(String workspaceId, List<String> eventIds) {
        if (eventIds.isEmpty()) return Map.of();
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            String marks = String.join(", ", java.util.Collections.nCopies(eventIds.size(), "?"));
            List<Object> params = new ArrayList<>();
            params.add(workspaceId);
            params.addAll(eventIds);
            try (PreparedStatement ps = c.prepareStatement("SELECT ep.event_id, p.canonical_id FROM identity_event_profiles ep"
                    + " JOIN identity_profiles p ON p.id = ep.profile_id WHERE ep.workspace_id = ? AND ep.event_id IN (" + marks + ")")) {
                Rows.setParams(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    // ---- unmerge and erasure ----

    @Override
    public boolean unmerge(String workspaceId, long mergeId) {
        return db.write(c -> {
            String absorbed;
            try (PreparedStatement ps = c.prepareStatement("SELECT absorbed_id FROM identity_merges WHERE id = ? AND workspace_id = ?"
                    + " AND outcome = ? AND undone_at IS NULL")) {
                Rows.setParams(ps, mergeId, workspaceId, Profile.MergeRecord.MERGED);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    absorbed = rs.getString(1);
                }
            }
            update(c, "UPDATE identity_profiles SET merged_into = NULL, canonical_id = ? WHERE id = ?", absorbed, absorbed);
            // everything merged (directly or not) into the absorbed profile follows it back out
            List<String> frontier = List.of(absorbed);
            while (!frontier.isEmpty()) {
                List<String> next = new ArrayList<>();
                for (String p : frontier) {
                    next.addAll(strings(c, "SELECT id FROM identity_profiles WHERE merged_into = ?", p));
                }
                for (String p : next) update(c, "UPDATE identity_profiles SET canonical_id = ? WHERE id = ?", absorbed, p);
                frontier = next;
            }
            update(c, "UPDATE identity_merges SET undone_at = ? WHERE id = ?", System.currentTimeMillis(), mergeId);
            return true;
        });
    }

    @Override
    public boolean erase(String workspaceId, String profileId) {
        return db.write(c -> {
            Optional<String> canonical = canonicalOn(c, workspaceId, profileId);
            if (canonical.isEmpty()) return false;
            String id = canonical.get();
            List<String> members = strings(c, "SELECT id FROM identity_profiles WHERE canonical_id = ?", id);
            List<String> events = new ArrayList<>();
            List<String> emails = new ArrayList<>();
            for (String m : members) {
                events.addAll(strings(c, "SELECT event_id FROM identity_event_profiles WHERE profile_id = ?", m));
                emails.addAll(strings(c, "SELECT value FROM identity_links WHERE profile_id = ? AND type = ?", m, IdentifierType.EMAIL.wireName()));
            }
            JdbcAttributionStore.forgetEvents(c, events);
            for (String e : events) {
                // by request id, which the events log is indexed on (a request names at most a batch)
                for (String requestId : strings(c, "SELECT request_id FROM events WHERE id = ?", e)) {
                    update(c, "UPDATE event_log SET payload = NULL, email = NULL WHERE request_id = ? AND event_id = ?", requestId, e);
                }
                update(c, "DELETE FROM events WHERE id = ? AND workspace_id = ?", e, workspaceId);
                update(c, "DELETE FROM identity_event_profiles WHERE event_id = ?", e);
            }
            // refused requests carry no event but may still name the person
            for (String email : emails) {
                update(c, "UPDATE event_log SET payload = NULL, email = NULL WHERE workspace_id = ? AND email = ?", workspaceId, email);
            }
            for (String m : members) {
                update(c, "DELETE FROM identity_links WHERE profile_id = ?", m);
                update(c, "DELETE FROM identity_merges WHERE survivor_id = ? OR absorbed_id = ?", m, m);
            }
            update(c, "DELETE FROM identity_profiles WHERE canonical_id = ?", id);
            return true;
        });
    }

    @Override
    public Map<String, Set<String>> partition(String workspaceId) {
        return db.read(c -> {
            Map<String, Set<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT p.canonical_id, l.type, l.value FROM identity_links l"
                    + " JOIN identity_profiles p ON p.id = l.profile_id WHERE l.workspace_id = ?")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2) + ":" + rs.getString(3));
                }
            }
            return out;
        });
    }
}
