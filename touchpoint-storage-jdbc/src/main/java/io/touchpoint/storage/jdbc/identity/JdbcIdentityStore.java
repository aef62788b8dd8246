package io.touchpoint.storage.jdbc.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.Page;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.PersonErasure;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The identity graph over SQL, as the identity stage ({@link JdbcIdentityStage}) writes it: guardrails, lookups,
 * profiles and journeys, unmerge and erasure.
 */
public final class JdbcIdentityStore implements IdentityStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcDatabase db;
    /** Held by the identity stage from its read to its write, and by unmerge and erasure, the other graph writers. */
    private final ReentrantLock graphLock;
    private final PersonErasure erasure;

    /** @param graphLock the graph writers' lock, shared with the identity stage and the erasure */
    public JdbcIdentityStore(JdbcDatabase db, ReentrantLock graphLock, PersonErasure erasure) {
        this.db = db;
        this.graphLock = graphLock;
        this.erasure = erasure;
    }

    // ---- guardrails ----

    @Override
    public Guardrails guardrails(String workspaceId) {
        return db.read(c -> guardrailsOn(c, workspaceId));
    }

    static Guardrails guardrailsOn(Connection c, String ws) {
        try {
            List<String> json = Rows.strings(c, "SELECT settings FROM identity_guardrails WHERE workspace_id = ?", ws);
            return json.isEmpty() ? Guardrails.DEFAULTS : readGuardrails(json.get(0));
        } catch (SQLException e) {
            throw new StoreException("cannot read guardrails: " + e.getMessage(), e);
        }
    }

    @Override
    public void putGuardrails(String workspaceId, Guardrails g) {
        String json = writeGuardrails(g);
        db.write(c -> Rows.update(c, "INSERT INTO identity_guardrails (workspace_id, settings) VALUES (?, ?)"
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

    @Override
    public Optional<String> findProfile(String workspaceId, Identifier asked) {
        // a fingerprint is stored with the ip it was seen from (fingerprint|ip); asking for the bare one finds any
        Identifier identifier = asked.type() == IdentifierType.FINGERPRINT ? asked : IdentityResolver.linkKey(asked, null);
        boolean fingerprint = identifier.type() == IdentifierType.FINGERPRINT && !identifier.value().contains("|");
        String sql = "SELECT p.canonical_id FROM identity_links l JOIN identity_profiles p ON p.id = l.profile_id"
                + " WHERE l.workspace_id = ? AND l.type = ? AND " + (fingerprint ? "(l.value = ? OR substr(l.value, 1, ?) = ?)" : "l.value = ?")
                + " ORDER BY p.created_seq LIMIT 1";
        Object[] params = fingerprint
                ? new Object[]{workspaceId, identifier.type().wireName(), identifier.value(), identifier.value().length() + 1, identifier.value() + "|"}
                : new Object[]{workspaceId, identifier.type().wireName(), identifier.value()};
        return db.read(c -> {
            List<String> r = Rows.strings(c, sql, params);
            return r.isEmpty() ? Optional.<String>empty() : Optional.of(r.get(0));
        });
    }

    @Override
    public Page<PersonSummary> people(String workspaceId, String search, int limit, String cursor) {
        return db.read(c -> PeopleReads.read(c, db.dialect(), workspaceId, search, limit, cursor));
    }

    @Override
    public Optional<Profile> profile(String workspaceId, String profileId) {
        return db.read(c -> {
            Optional<String> canonical = GraphReads.canonicalOn(c, workspaceId, profileId);
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
            List<String> members = Rows.strings(c, "SELECT id FROM identity_profiles WHERE canonical_id = ? AND id <> ? ORDER BY created_seq", id, id);
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
            Optional<String> canonical = GraphReads.canonicalOn(c, workspaceId, profileId);
            if (canonical.isEmpty()) return List.<Event>of();
            List<Event> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT e.body, " + EventJson.RAW_PAYLOAD + " FROM identity_profiles p"
                    + " JOIN identity_event_profiles ep ON ep.profile_id = p.id JOIN events e ON e.id = ep.event_id"
                    + " WHERE p.canonical_id = ? ORDER BY e.event_time, e.seq")) {
                ps.setString(1, canonical.get());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(EventJson.read(rs.getString(1), rs.getString(2)));
                }
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
        graphLock.lock();
        try {
            return unmergeLocked(workspaceId, mergeId);
        } finally {
            graphLock.unlock();
        }
    }

    private boolean unmergeLocked(String workspaceId, long mergeId) {
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
            GraphReads.graphChanged(c, workspaceId);
            List<String> split = new ArrayList<>(Rows.strings(c, "SELECT canonical_id FROM identity_profiles WHERE id = ?", absorbed));
            split.add(absorbed);
            Rows.update(c, "UPDATE identity_profiles SET merged_into = NULL, canonical_id = ? WHERE id = ?", absorbed, absorbed);
            // everything merged (directly or not) into the absorbed profile follows it back out
            List<String> frontier = List.of(absorbed);
            while (!frontier.isEmpty()) {
                List<String> next = new ArrayList<>();
                for (String p : frontier) {
                    next.addAll(Rows.strings(c, "SELECT id FROM identity_profiles WHERE merged_into = ?", p));
                }
                for (String p : next) Rows.update(c, "UPDATE identity_profiles SET canonical_id = ? WHERE id = ?", absorbed, p);
                frontier = next;
            }
            PeopleSights.recompute(c, split);
            Rows.update(c, "UPDATE identity_merges SET undone_at = ?, undo_seq = ? WHERE id = ?", System.currentTimeMillis(),
                    GraphReads.nextUndoSeq(c), mergeId);
            return true;
        });
    }

    /** Erases the person ({@link PersonErasure}); it takes the graph writers' lock for its write. */
    @Override
    public boolean erase(String workspaceId, String profileId) {
        return erasure.erase(workspaceId, profileId);
    }
}
