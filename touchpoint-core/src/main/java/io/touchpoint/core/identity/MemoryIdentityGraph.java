package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An identity graph in memory, for tests, the benchmark and anything else that resolves without a database.
 * It keeps the same shape the stores keep: every link stays on the profile it was made for, and a merged
 * profile points at its survivor.
 */
public final class MemoryIdentityGraph implements IdentityGraph {
    private final Map<String, Long> created = new HashMap<>();
    private final Map<String, String> mergedInto = new HashMap<>();
    private final Map<String, Set<String>> members = new HashMap<>();
    private final Map<Identifier, Map<String, Instant>> links = new HashMap<>();
    private final Map<String, Map<IdentifierType, Set<String>>> own = new HashMap<>();
    private final Map<String, String> eventProfile = new LinkedHashMap<>();

    public String canonical(String profile) {
        String p = profile;
        String next;
        while ((next = mergedInto.get(p)) != null) p = next;
        return p;
    }

    @Override
    public List<String> profilesLinkedTo(Identifier id) {
        Map<String, Instant> on = links.get(id);
        if (on == null) return List.of();
        List<String> out = new ArrayList<>(1);
        for (String p : on.keySet()) {
            String c = canonical(p);
            if (!out.contains(c)) out.add(c);
        }
        return out;
    }

    @Override
    public String recentProfile(Identifier id, Instant since) {
        Map<String, Instant> on = links.get(id);
        if (on == null) return null;
        String best = null;
        Instant bestSeen = null;
        for (var e : on.entrySet()) {
            if (e.getValue().isBefore(since)) continue;
            if (bestSeen == null || e.getValue().isAfter(bestSeen)) {
                best = e.getKey();
                bestSeen = e.getValue();
            }
        }
        return best == null ? null : canonical(best);
    }

    @Override
    public long createdSeq(String profileId) {
        return created.get(profileId);
    }

    @Override
    public Set<String> values(String profileId, IdentifierType type) {
        Set<String> out = new HashSet<>();
        for (String m : members.getOrDefault(profileId, Set.of(profileId))) {
            Map<IdentifierType, Set<String>> o = own.get(m);
            if (o != null) out.addAll(o.getOrDefault(type, Set.of()));
        }
        return out;
    }

    /** Applies one resolution made against this graph. */
    public void apply(Resolution r, Instant time) {
        if (r.created()) {
            created.put(r.profileId(), r.seq());
            members.put(r.profileId(), new HashSet<>(Set.of(r.profileId())));
        }
        for (Resolution.Merge m : r.merges()) {
            mergedInto.put(m.absorbed(), m.survivor());
            members.get(m.survivor()).addAll(members.remove(m.absorbed()));
        }
        for (Resolution.Link l : r.links()) {
            Map<String, Instant> on = links.computeIfAbsent(l.identifier(), k -> new HashMap<>(2));
            String existing = null;
            for (String p : on.keySet()) if (canonical(p).equals(l.profileId())) existing = p;
            if (existing != null) {
                if (time.isAfter(on.get(existing))) on.put(existing, time);
            } else {
                on.put(l.profileId(), time);
                own.computeIfAbsent(l.profileId(), k -> new HashMap<>())
                        .computeIfAbsent(l.identifier().type(), k -> new HashSet<>()).add(l.identifier().value());
            }
        }
        eventProfile.put(r.eventId(), r.profileId());
    }

    /** Resolves and applies one event. */
    public Resolution process(Guardrails rails, ResolutionInput in, java.util.function.Supplier<String> ids) {
        Resolution r = IdentityResolver.resolve(this, rails, in, ids);
        apply(r, in.time());
        return r;
    }

    /** Canonical profile id → its identifiers as {@code type:value}, for comparing whole graphs. */
    public Map<String, Set<String>> partition() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (var e : links.entrySet()) {
            for (String p : e.getValue().keySet()) {
                out.computeIfAbsent(canonical(p), k -> new TreeSet<>())
                        .add(e.getKey().type().wireName() + ":" + e.getKey().value());
            }
        }
        return out;
    }

    /** The canonical profile the event resolved to, or null. */
    public String profileOfEvent(String eventId) {
        String p = eventProfile.get(eventId);
        return p == null ? null : canonical(p);
    }

    public int profileCount() {
        return members.size();
    }
}
