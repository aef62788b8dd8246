package io.touchpoint.core.identity;

import io.touchpoint.core.identity.Resolution.Link;
import io.touchpoint.core.identity.Resolution.Merge;
import io.touchpoint.core.identity.Resolution.Skip;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The identity-resolution rules of SPEC §6 as one pure function over an {@link IdentityGraph}:
 * <ol>
 *   <li>blocked values and values already on {@link Guardrails#maxProfilesPerValue()} profiles are skipped;</li>
 *   <li>every profile carrying one of the event's strong identifiers (email, phone, client_id, visitor token) is
 *       a candidate; the oldest survives and the others merge into it, unless the merge would take a type over
 *       its limit (then the merge is skipped and logged, and the event stays on the oldest);</li>
 *   <li>with no strong candidate, a fingerprint + ip seen within the window joins the event to that visitor,
 *       unless both carry emails and none is shared (fingerprints never merge anything);</li>
 *   <li>otherwise the event starts a new profile;</li>
 *   <li>the event's identifiers link to the chosen profile within the per-type limits; weak ones (click ids,
 *       fbp/fbc, ga_cookie, mobile ad ids, fingerprints) only attach, they never pick or merge profiles.</li>
 * </ol>
 * A fingerprint is stored with the event's ip as {@code fingerprint|ip}, the key the window join uses.
 */
public final class IdentityResolver {
    private IdentityResolver() {
    }

    /** The fingerprint + ip key stored for a fingerprint seen from an ip. */
    public static Identifier fingerprintKey(String fingerprint, String ip) {
        return new Identifier(IdentifierType.FINGERPRINT, ip == null || ip.isBlank() ? fingerprint : fingerprint + "|" + ip);
    }

    public static Resolution resolve(IdentityGraph graph, Guardrails rails, ResolutionInput in, Supplier<String> newProfileId) {
        List<Skip> skipped = new ArrayList<>();
        // 1. usable identifiers, with the profiles each is already on
        Map<Identifier, List<String>> usable = new LinkedHashMap<>();
        Set<Identifier> fingerprints = new LinkedHashSet<>();
        for (Identifier raw : new LinkedHashSet<>(in.identifiers())) {
            Identifier id = raw.type() == IdentifierType.FINGERPRINT ? fingerprintKey(raw.value(), in.ip()) : raw;
            if (usable.containsKey(id)) continue;
            if (rails.blocked(raw)) {
                skipped.add(new Skip(raw, Skip.BLOCKED, null));
                continue;
            }
            List<String> on = graph.profilesLinkedTo(id);
            if (on.size() >= rails.maxProfilesPerValue()) {
                skipped.add(new Skip(id, Skip.OVER_SHARED, null));
                continue;
            }
            usable.put(id, on);
            if (id.type() == IdentifierType.FINGERPRINT && in.ip() != null && !in.ip().isBlank()) fingerprints.add(id);
        }

        // 2. strong candidates, oldest first
        Map<String, Identifier> candidates = new HashMap<>();
        for (var e : usable.entrySet()) {
            if (!e.getKey().type().strong()) continue;
            for (String p : e.getValue()) candidates.putIfAbsent(p, e.getKey());
        }
        List<String> ordered = new ArrayList<>(candidates.keySet());
        ordered.sort(Comparator.comparingLong(graph::createdSeq).thenComparing(Comparator.naturalOrder()));

        String profile;
        boolean created = false;
        String rule;
        List<Merge> merges = new ArrayList<>();
        Set<String> keptApart = new HashSet<>();
        Map<IdentifierType, Set<String>> values = new EnumMap<>(IdentifierType.class);
        if (!ordered.isEmpty()) {
            profile = ordered.get(0);
            rule = Resolution.RULE_STRONG;
            for (String other : ordered.subList(1, ordered.size())) {
                if (fitsLimits(graph, rails, profile, other, values)) {
                    merges.add(new Merge(profile, other, candidates.get(other), Resolution.RULE_STRONG));
                    for (IdentifierType t : IdentifierType.values()) values(graph, profile, t, values).addAll(graph.values(other, t));
                } else {
                    keptApart.add(other);
                    skipped.add(new Skip(candidates.get(other), Skip.MERGE_LIMIT, other));
                }
            }
        } else {
            profile = null;
            rule = null;
            Set<String> emails = new HashSet<>();
            for (Identifier id : usable.keySet()) if (id.type() == IdentifierType.EMAIL) emails.add(id.value());
            for (Identifier fp : fingerprints) {
                String recent = graph.recentProfile(fp, in.time().minus(rails.fingerprintWindow()));
                if (recent == null) continue;
                Set<String> theirs = graph.values(recent, IdentifierType.EMAIL);
                if (!emails.isEmpty() && !theirs.isEmpty() && theirs.stream().noneMatch(emails::contains)) {
                    skipped.add(new Skip(fp, Skip.EMAIL_CONFLICT, recent));
                    continue;
                }
                profile = recent;
                rule = Resolution.RULE_FINGERPRINT_IP;
                break;
            }
            if (profile == null) {
                profile = newProfileId.get();
                created = true;
                rule = Resolution.RULE_NEW_PROFILE;
            }
        }

        // 3. links within the per-type limits
        List<Link> links = new ArrayList<>();
        Set<String> cluster = new HashSet<>();
        cluster.add(profile);
        for (Merge m : merges) cluster.add(m.absorbed());
        for (var e : usable.entrySet()) {
            Identifier id = e.getKey();
            List<String> on = e.getValue();
            boolean already = false;
            boolean elsewhere = false;
            for (String p : on) {
                if (cluster.contains(p)) already = true;
                else if (keptApart.contains(p)) elsewhere = true;
            }
            if (already) {
                links.add(new Link(id, profile, id.type().strong() ? rule : Resolution.RULE_ATTACH));
                continue;
            }
            if (elsewhere) continue; // it stays with the profile the skipped merge left apart
            Set<String> have = created ? values.computeIfAbsent(id.type(), t -> new HashSet<>())
                    : values(graph, profile, id.type(), values);
            if (!have.contains(id.value()) && have.size() >= rails.limit(id.type())) {
                skipped.add(new Skip(id, Skip.TYPE_LIMIT, profile));
                continue;
            }
            have.add(id.value());
            links.add(new Link(id, profile, id.type().strong() ? rule : Resolution.RULE_ATTACH));
        }
        return new Resolution(in.eventId(), in.seq(), profile, created, merges, links, skipped);
    }

    private static Set<String> values(IdentityGraph graph, String profile, IdentifierType t, Map<IdentifierType, Set<String>> cache) {
        return cache.computeIfAbsent(t, x -> new HashSet<>(graph.values(profile, x)));
    }

    private static boolean fitsLimits(IdentityGraph graph, Guardrails rails, String survivor, String other,
                                      Map<IdentifierType, Set<String>> values) {
        for (IdentifierType t : IdentifierType.values()) {
            Set<String> theirs = graph.values(other, t);
            if (theirs.isEmpty()) continue;
            Set<String> union = new HashSet<>(values(graph, survivor, t, values));
            union.addAll(theirs);
            if (union.size() > rails.limit(t)) return false;
        }
        return true;
    }
}
