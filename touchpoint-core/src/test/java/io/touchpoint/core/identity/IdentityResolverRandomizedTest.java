package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random streams of events over a small identifier space: within the guardrails the partition of strong
 * identifiers the resolver builds equals the one a plain union-find computes, whatever the arrival order.
 * Seeds are fixed so a failure is reproducible: the seed is in the test's name.
 */
class IdentityResolverRandomizedTest {
    private static final IdentifierType[] STRONG = {IdentifierType.EMAIL, IdentifierType.PHONE,
            IdentifierType.VISITOR_TOKEN, IdentifierType.CLIENT_ID};
    /**
     * Identifiers that only attach. Click ids and cookies also join an event with no strong candidate to the one
     * profile carrying them, which depends on arrival order by design; the stores' contract checks those against the
     * in-memory reference graph instead (RandomIdentityStream).
     */
    private static final IdentifierType[] WEAK = {IdentifierType.APPLE_AD_ID, IdentifierType.ANDROID_AD_ID,
            IdentifierType.APP_INSTANCE_ID};

    static LongStream seeds() {
        return LongStream.range(1, 301);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void partitionEqualsReferenceUnionFindInAnyOrder(long seed) {
        Random rnd = new Random(seed);
        int space = 3 + rnd.nextInt(20);
        int events = 1 + rnd.nextInt(60);
        List<List<Identifier>> stream = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            List<Identifier> ids = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            for (int k = 0; k < n; k++) ids.add(strong(rnd, space));
            if (rnd.nextInt(4) == 0) ids.add(blocked(rnd));
            if (rnd.nextInt(3) == 0) ids.add(new Identifier(WEAK[rnd.nextInt(WEAK.length)], "w" + rnd.nextInt(space)));
            stream.add(ids);
        }
        // limits high enough that no guardrail but the blocklist applies
        Guardrails rails = Guardrails.DEFAULTS.withMaxProfilesPerValue(1_000);
        for (IdentifierType t : IdentifierType.values()) rails = rails.withLimit(t, 1_000);

        Map<String, Set<String>> expected = reference(stream, rails);
        for (int order = 0; order < 5; order++) {
            List<List<Identifier>> shuffled = new ArrayList<>(stream);
            if (order > 0) Collections.shuffle(shuffled, new Random(seed * 31 + order));
            MemoryIdentityGraph graph = new MemoryIdentityGraph();
            AtomicInteger ids = new AtomicInteger();
            long seq = 0;
            for (List<Identifier> e : shuffled) {
                seq++;
                graph.process(rails, new ResolutionInput(seq, "e" + seq, Instant.EPOCH.plusSeconds(seq), e, null),
                        () -> "p" + ids.incrementAndGet());
            }
            assertThat(strongPartition(graph)).as("order %d", order).isEqualTo(partitionOf(expected));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tightGuardrailsAreNeverBroken(long seed) {
        Random rnd = new Random(seed);
        int space = 3 + rnd.nextInt(15);
        Guardrails rails = Guardrails.DEFAULTS.withMaxProfilesPerValue(1 + rnd.nextInt(3))
                .withLimit(IdentifierType.EMAIL, 1 + rnd.nextInt(2)).withLimit(IdentifierType.CLIENT_ID, 1)
                .withLimit(IdentifierType.VISITOR_TOKEN, 1 + rnd.nextInt(3)).withLimit(IdentifierType.GCLID, 2);
        MemoryIdentityGraph graph = new MemoryIdentityGraph();
        AtomicInteger ids = new AtomicInteger();
        for (int seq = 1; seq <= 80; seq++) {
            List<Identifier> e = new ArrayList<>();
            for (int k = 0, n = 1 + rnd.nextInt(3); k < n; k++) e.add(strong(rnd, space));
            if (rnd.nextBoolean()) e.add(new Identifier(IdentifierType.GCLID, "w" + rnd.nextInt(space)));
            graph.process(rails, new ResolutionInput(seq, "e" + seq, Instant.EPOCH.plusSeconds(seq), e, null),
                    () -> "p" + ids.incrementAndGet());
        }
        Map<String, Set<String>> partition = graph.partition();
        for (var p : partition.entrySet()) {
            Map<String, Integer> perType = new HashMap<>();
            for (String v : p.getValue()) perType.merge(v.substring(0, v.indexOf(':')), 1, Integer::sum);
            for (var c : perType.entrySet()) {
                int limit = rails.limit(IdentifierType.fromWireName(c.getKey()).orElseThrow());
                assertThat(c.getValue()).as("%s on %s", c.getKey(), p.getKey()).isLessThanOrEqualTo(limit);
            }
        }
        Map<String, Integer> profilesPerValue = new HashMap<>();
        for (Set<String> vs : partition.values()) for (String v : vs) profilesPerValue.merge(v, 1, Integer::sum);
        assertThat(profilesPerValue.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(rails.maxProfilesPerValue()));
    }

    private static Identifier strong(Random rnd, int space) {
        IdentifierType t = STRONG[rnd.nextInt(STRONG.length)];
        int v = rnd.nextInt(space);
        return new Identifier(t, switch (t) {
            case EMAIL -> "u" + v + "@shop.io";
            case PHONE -> "+1415555" + String.format("%04d", 1000 + v);
            default -> t.wireName() + v;
        });
    }

    private static Identifier blocked(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> new Identifier(IdentifierType.EMAIL, "test@test.com");
            case 1 -> new Identifier(IdentifierType.PHONE, "0000000000");
            default -> new Identifier(IdentifierType.VISITOR_TOKEN, "");
        };
    }

    /** Plain union-find over the non-blocked strong identifiers that occur together in an event. */
    private static Map<String, Set<String>> reference(List<List<Identifier>> stream, Guardrails rails) {
        Map<String, String> parent = new HashMap<>();
        for (List<Identifier> e : stream) {
            String first = null;
            for (Identifier id : e) {
                if (!id.type().strong() || rails.blocked(id)) continue;
                String key = id.type().wireName() + ":" + id.value();
                parent.putIfAbsent(key, key);
                if (first == null) first = key;
                else union(parent, first, key);
            }
        }
        Map<String, Set<String>> groups = new HashMap<>();
        for (String k : parent.keySet()) groups.computeIfAbsent(find(parent, k), x -> new TreeSet<>()).add(k);
        return groups;
    }

    private static String find(Map<String, String> parent, String k) {
        while (!parent.get(k).equals(k)) k = parent.get(k);
        return k;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.put(find(parent, a), find(parent, b));
    }

    private static Set<Set<String>> partitionOf(Map<String, Set<String>> groups) {
        return new HashSet<>(groups.values());
    }

    private static Set<Set<String>> strongPartition(MemoryIdentityGraph graph) {
        Set<Set<String>> out = new HashSet<>();
        for (Set<String> vs : graph.partition().values()) {
            Set<String> strong = new TreeSet<>();
            for (String v : vs) {
                if (IdentifierType.fromWireName(v.substring(0, v.indexOf(':'))).orElseThrow().strong()) strong.add(v);
            }
            if (!strong.isEmpty()) out.add(strong);
        }
        return out;
    }
}
