package io.touchpoint.core.identity;

import io.touchpoint.core.identity.Resolution.Link;
import io.touchpoint.core.identity.Resolution.Merge;
import io.touchpoint.core.identity.Resolution.Skip;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.normalize.PlatformIds;

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
 * The identity-resolution rules (docs/IDENTITY.md) as one pure function over an {@link IdentityGraph}:
 * <ol>
 *   <li>blocked values and values already on {@link Guardrails#maxProfilesPerValue()} profiles are skipped;</li>
 *   <li>every profile carrying one of the event's strong identifiers (email, phone, client_id, visitor token) is
 *       a candidate; the oldest survives and the others merge into it, unless the merge would take a type over
 *       its limit (then the merge is skipped and logged, and the event stays on the oldest);</li>
 *   <li>with no strong candidate, and no visitor token or client_id of its own (a browser Touchpoint, Cometly or
 *       Able names, which is a visitor of its own even when it arrives through a link someone else clicked), the
 *       event's click ids and platform cookies ({@link IdentifierType#joins()}) join it to the one profile that
 *       already carries them: each value found must be on exactly one profile and all of them on the same one, and
 *       if both carry emails one must be shared. A value on several profiles joins none of them, values on
 *       different profiles join neither, and each refusal is logged with the profile it did not join. This never
 *       merges anything;</li>
 *   <li>with neither, a fingerprint + ip seen within the window joins the event to that visitor,
 *       unless both carry emails and none is shared (fingerprints never merge anything);</li>
 *   <li>otherwise the event starts a new profile;</li>
 *   <li>the event's identifiers link to the chosen profile within the per-type limits; weak ones (click ids,
 *       fbp/fbc, ga_cookie, mobile ad ids, fingerprints) only attach, they never merge profiles.</li>
 * </ol>
 * Identifiers are linked under their {@link #linkKey}: a fingerprint with the event's ip as {@code fingerprint|ip},
 * the key the window join uses; a Meta click as its bare fbclid whether it came as {@code fbclid} or as an
 * {@code _fbc} cookie ({@code fb.1.<ms>.<fbclid>}); a GA cookie as its client id ({@code GA1.1.777.888} is
 * {@code 777.888}). Events keep the values as they were sent.
 */
public final class IdentityResolver {
    private IdentityResolver() {
    }

    /** The fingerprint + ip key stored for a fingerprint seen from an ip. */
    public static Identifier fingerprintKey(String fingerprint, String ip) {
        return new Identifier(IdentifierType.FINGERPRINT, ip == null || ip.isBlank() ? fingerprint : fingerprint + "|" + ip);
    }

    /**
     * The identifier an event's {@code raw} identifier is linked and looked up as: the fingerprint with the ip, the
     * Meta click as {@link IdentifierType#FBCLID} with the bare click id (an {@code _fbc} cookie's, or the value as
     * sent when it has not that shape), the GA cookie as its client id; any other as it is.
     */
    public static Identifier linkKey(Identifier raw, String ip) {
        return switch (raw.type()) {
            case FINGERPRINT -> fingerprintKey(raw.value(), ip);
            case FBC, FBCLID -> {
                String click = PlatformIds.fbclidOfFbc(raw.value());
                if (click != null) yield new Identifier(IdentifierType.FBCLID, click);
                yield raw.type() == IdentifierType.FBCLID ? raw : new Identifier(IdentifierType.FBCLID, raw.value());
            }
            case GA_COOKIE -> {
                String clientId = PlatformIds.gaClientIdOfCookie(raw.value());
                yield clientId == null ? raw : new Identifier(IdentifierType.GA_COOKIE, clientId);
            }
            default -> raw;
        };
    }

    public static Resolution resolve(IdentityGraph graph, Guardrails rails, ResolutionInput in, Supplier<String> newProfileId) {
        List<Skip> skipped = new ArrayList<>();
        // 1. usable identifiers, with the profiles each is already on
        Map<Identifier, List<String>> usable = new LinkedHashMap<>();
        Set<Identifier> fingerprints = new LinkedHashSet<>();
        for (Identifier raw : new LinkedHashSet<>(in.identifiers())) {
            Identifier id = linkKey(raw, in.ip());
            if (usable.containsKey(id)) continue;
            if (rails.blocked(raw) || (id != raw && rails.blocked(id))) {
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
            Set<String> emails = new HashSet<>();
            for (Identifier id : usable.keySet()) if (id.type() == IdentifierType.EMAIL) emails.add(id.value());
            // 3. click ids and platform cookies, 4. fingerprint + ip
            profile = namesItsBrowser(usable.keySet()) ? null : joinByClickIds(graph, usable, emails, skipped);
            rule = profile == null ? null : Resolution.RULE_CLICK_ID;
            if (profile == null) {
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
            }
            // 5. a new profile
            if (profile == null) {
                profile = newProfileId.get();
                created = true;
                rule = Resolution.RULE_NEW_PROFILE;
            }
        }

        // 6. links within the per-type limits
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

    /** Whether the event carries a browser's own id: such an event is that visitor's, never joined by a click id. */
    private static boolean namesItsBrowser(Set<Identifier> ids) {
        for (Identifier id : ids) {
            if (id.type() == IdentifierType.VISITOR_TOKEN || id.type() == IdentifierType.CLIENT_ID) return true;
        }
        return false;
    }

    /**
     * The one profile the event's click ids and cookies point at, or null (rule 3). Every refusal that names a
     * profile is added to {@code skipped}, for the merge log.
     */
    private static String joinByClickIds(IdentityGraph graph, Map<Identifier, List<String>> usable, Set<String> emails,
                                         List<Skip> skipped) {
        String chosen = null;
        boolean disagree = false;
        Identifier via = null;
        Map<Identifier, String> single = null;
        List<Map.Entry<Identifier, List<String>>> shared = null;
        for (var e : usable.entrySet()) {
            if (!e.getKey().type().joins() || e.getValue().isEmpty()) continue;
            if (e.getValue().size() > 1) {
                if (shared == null) shared = new ArrayList<>(1);
                shared.add(e);
                continue;
            }
            String p = e.getValue().get(0);
            if (single == null) single = new LinkedHashMap<>();
            single.put(e.getKey(), p);
            if (chosen == null) {
                chosen = p;
                via = e.getKey();
            } else if (!chosen.equals(p)) {
                disagree = true;
            }
        }
        if (disagree) {
            for (var s : single.entrySet()) skipped.add(new Skip(s.getKey(), Skip.CLICK_IDS_DISAGREE, s.getValue()));
            chosen = null;
        }
        if (shared != null) {
            for (var e : shared) {
                for (String p : e.getValue()) if (!p.equals(chosen)) skipped.add(new Skip(e.getKey(), Skip.CLICK_ID_SHARED, p));
            }
        }
        if (chosen != null && !emails.isEmpty()) {
            Set<String> theirs = graph.values(chosen, IdentifierType.EMAIL);
            if (!theirs.isEmpty() && theirs.stream().noneMatch(emails::contains)) {
                skipped.add(new Skip(via, Skip.CLICK_ID_EMAIL_CONFLICT, chosen));
                return null;
            }
        }
        return chosen;
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
