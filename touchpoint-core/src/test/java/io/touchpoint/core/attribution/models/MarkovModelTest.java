package io.touchpoint.core.attribution.models;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Markov chain model on journey sets solved by hand, and against an independent solver. */
class MarkovModelTest {
    private static Journey j(double conversions, double value, String... states) {
        return new Journey(List.of(states), conversions, value);
    }

    private static void assertCredit(Map<String, GroupCredit> credits, String group, double conversions,
                                     double value) {
        assertThat(credits.get(group).conversions()).as(group + " conversions").isCloseTo(conversions, within(1e-12));
        assertThat(credits.get(group).value()).as(group + " value").isCloseTo(value, within(1e-9));
    }

    /**
     * (A,A,B)→conv 100, (A)→null, (B)→conv 50, (C)→null.
     * A,A,B collapses to A,B. Transitions: start→A 2/4, start→B 1/4, start→C 1/4; A→B 1/2, A→null 1/2;
     * B→conv 2/2; C→null 1/1.
     * P(conv): x_B = 1, x_A = ½·1 = ½, x_C = 0, x_start = ¼ ... = 2/4·½ + 1/4·1 + 1/4·0 = ½.
     * Remove A: start→A goes to null: 1/4·1 = ¼ → effect 1 − ¼/½ = ½.
     * Remove B: A→B and start→B go to null: 0 → effect 1.
     * Remove C: still ½ → effect 0 (C never converts and leads nowhere).
     * Normalised: ½ / 1½ = 1/3, 1 / 1½ = 2/3, 0. × 2 conversions → 2/3, 4/3, 0; × 150 → 50, 100, 0.
     */
    static List<Journey> first() {
        return List.of(j(1, 100, "A", "A", "B"), j(0, 0, "A"), j(1, 50, "B"), j(0, 0, "C"));
    }

    @Test
    void handSolvedWithCollapsedRepeatsAndAGroupThatLeadsNowhere() {
        Map<String, Double> effects = MarkovModel.removalEffects(first());
        assertThat(effects.keySet()).containsExactly("A", "B", "C");
        assertThat(effects.get("A")).isCloseTo(0.5, within(1e-12));
        assertThat(effects.get("B")).isCloseTo(1.0, within(1e-12));
        assertThat(effects.get("C")).isCloseTo(0.0, within(1e-12));
        Map<String, GroupCredit> credits = MarkovModel.credits(first());
        assertThat(credits.keySet()).containsExactly("A", "B", "C");
        assertCredit(credits, "A", 2.0 / 3, 50);
        assertCredit(credits, "B", 4.0 / 3, 100);
        assertCredit(credits, "C", 0, 0);
    }

    /**
     * (A,B,A)→conv 30, (B)→null, (A)→conv 60, (D,A)→null. A,B,A is a loop; D never converts.
     * Transitions: start→A 2/4, start→B 1/4, start→D 1/4; A→B 1/4, A→conv 2/4, A→null 1/4;
     * B→A 1/2, B→null 1/2; D→A 1/1.
     * P(conv): x_A = ¼ x_B + ½, x_B = ½ x_A → x_A = ⅛ x_A + ½ → x_A = 4/7, x_B = 2/7, x_D = x_A = 4/7;
     * x_start = 2/4·4/7 + 1/4·2/7 + 1/4·4/7 = 4/14 + 1/14 + 2/14 = ½.
     * Remove A: nothing reaches conversion → 0, effect 1.
     * Remove B: x_A = ½, x_D = ½, x_start = 2/4·½ + 1/4·½ = 3/8 → effect 1 − (3/8)/(1/2) = ¼.
     * Remove D: x_start = 2/4·4/7 + 1/4·2/7 = 5/14 → effect 1 − (5/14)/(1/2) = 2/7.
     * Sum 1 + ¼ + 2/7 = 43/28 → shares 28/43, 7/43, 8/43; × 2 conversions → 56/43, 14/43, 16/43;
     * × 90 → 2520/43, 630/43, 720/43.
     */
    static List<Journey> second() {
        return List.of(j(1, 30, "A", "B", "A"), j(0, 0, "B"), j(1, 60, "A"), j(0, 0, "D", "A"));
    }

    @Test
    void handSolvedWithALoopAndANonConvertingGroupThatStillMatters() {
        Map<String, Double> effects = MarkovModel.removalEffects(second());
        assertThat(effects.get("A")).isCloseTo(1.0, within(1e-12));
        assertThat(effects.get("B")).isCloseTo(0.25, within(1e-12));
        assertThat(effects.get("D")).isCloseTo(2.0 / 7, within(1e-12));
        Map<String, GroupCredit> credits = MarkovModel.credits(second());
        assertThat(credits.keySet()).containsExactly("A", "B", "D");
        assertCredit(credits, "A", 56.0 / 43, 2520.0 / 43);
        assertCredit(credits, "B", 14.0 / 43, 630.0 / 43);
        assertCredit(credits, "D", 16.0 / 43, 720.0 / 43);
    }

    /**
     * A,A,B is counted as A,B. (In a first-order chain a self-loop A→A with probability q only rescales A's
     * other transitions by 1/(1 − q), so P(conversion) and the removal effects would come out the same even
     * uncollapsed; this pins the outcome, not the counting.)
     */
    @Test
    void consecutiveRepeatsGiveTheSameCreditsAsOneVisit() {
        List<Journey> collapsed = List.of(j(1, 100, "A", "B"), j(0, 0, "A"), j(1, 50, "B"), j(0, 0, "C"));
        assertThat(MarkovModel.credits(first())).isEqualTo(MarkovModel.credits(collapsed));
        List<Journey> repeated = List.of(j(1, 30, "A", "A", "B", "B", "B", "A"), j(0, 0, "B", "B"), j(1, 60, "A"),
                j(0, 0, "D", "D", "A", "A"));
        Map<String, GroupCredit> credits = MarkovModel.credits(repeated);
        Map<String, GroupCredit> once = MarkovModel.credits(second());
        for (String g : once.keySet()) {
            assertThat(credits.get(g).conversions()).isCloseTo(once.get(g).conversions(), within(1e-12));
        }
    }

    @Test
    void aJourneyIsOneObservationWhateverItsConversions() {
        // As the first set, but (B) converted twice: the chain is unchanged, so the shares stay 1/3, 2/3, 0
        // and only the total grows to 3 conversions.
        List<Journey> js = List.of(j(1, 100, "A", "A", "B"), j(0, 0, "A"), j(2, 50, "B"), j(0, 0, "C"));
        Map<String, GroupCredit> credits = MarkovModel.credits(js);
        assertCredit(credits, "A", 1, 50);
        assertCredit(credits, "B", 2, 100);
    }

    /**
     * The first set plus an empty journey that converted once (value 10): start→conv 1/5.
     * start→A 2/5, →B 1/5, →C 1/5, →conv 1/5: x_start = 2/5·½ + 1/5 + 0 + 1/5 = 3/5.
     * Remove A: 1/5 + 1/5 = 2/5 → effect 1 − (2/5)/(3/5) = 1/3. Remove B: 1/5 → effect 2/3. Remove C: 0.
     * Shares 1/3, 2/3, 0 of the 2 conversions and 150 of value of the journeys with states; the empty
     * journey's conversion and value are credited to no group.
     */
    @Test
    void anEmptyConvertingJourneyCountsInTheChainButCreditsNoGroup() {
        List<Journey> js = new ArrayList<>(first());
        js.add(j(1, 10));
        Map<String, Double> effects = MarkovModel.removalEffects(js);
        assertThat(effects.get("A")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(effects.get("B")).isCloseTo(2.0 / 3, within(1e-12));
        Map<String, GroupCredit> credits = MarkovModel.credits(js);
        assertThat(credits.keySet()).containsExactly("A", "B", "C");
        assertCredit(credits, "A", 2.0 / 3, 50);
        assertCredit(credits, "B", 4.0 / 3, 100);
        assertCredit(credits, "C", 0, 0);
    }

    @Test
    void noConversionsCreditNothing() {
        Map<String, GroupCredit> credits = MarkovModel.credits(List.of(j(0, 0, "A", "B"), j(0, 0, "C")));
        assertThat(credits).containsOnlyKeys("A", "B", "C");
        assertThat(credits.values()).allMatch(c -> c.conversions() == 0 && c.value() == 0);
        assertThat(MarkovModel.credits(List.of())).isEmpty();
        // Only empty journeys converted: no group has a removal effect.
        assertThat(MarkovModel.credits(List.of(j(1, 5), j(0, 0, "A"))).get("A")).isEqualTo(GroupCredit.ZERO);
    }

    @Test
    void randomJourneysMatchAnIndependentSolverAndReconcile() {
        Random random = new Random(42);
        for (int round = 0; round < 32; round++) {
            // The last rounds have more states than the solver's block of 32, so its block edges are crossed.
            int groups = round < 30 ? 2 + random.nextInt(6) : 40 + random.nextInt(60);
            List<Journey> js = new ArrayList<>();
            double conversions = 0;
            double value = 0;
            for (int k = 0; k < 5 + random.nextInt(60) + 20 * groups; k++) {
                List<String> states = new ArrayList<>();
                for (int s = 0; s < 1 + random.nextInt(6); s++) states.add("g" + random.nextInt(groups));
                double c = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
                double v = c > 0 ? random.nextInt(1000) / 10.0 : 0;
                js.add(new Journey(states, c, v));
                conversions += c;
                value += v;
            }
            if (conversions == 0) continue;
            Map<String, Double> effects = MarkovModel.removalEffects(js);
            double all = iterated(js, null);
            List<String> checked = new ArrayList<>(effects.keySet());
            if (groups > 10) checked = List.of(checked.get(0), checked.get(checked.size() / 2), checked.getLast());
            for (String g : checked) {
                double expected = 1 - iterated(js, g) / all;
                assertThat(effects.get(g)).as("round %d group %s", round, g).isCloseTo(expected, within(1e-9));
            }
            Map<String, GroupCredit> credits = MarkovModel.credits(js);
            assertThat(credits.values().stream().mapToDouble(GroupCredit::conversions).sum())
                    .isCloseTo(conversions, within(1e-9));
            assertThat(credits.values().stream().mapToDouble(GroupCredit::value).sum())
                    .isCloseTo(value, within(1e-9));
        }
    }

    /**
     * P(conversion) from start by value iteration over the collapsed paths, with {@code removed} (if any)
     * sending every transition into it to (null): a slow, separate route to the same number.
     */
    private static double iterated(List<Journey> js, String removed) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (Journey jn : js) {
            String prev = "(start)";
            for (String s : jn.states()) {
                if (s.equals(prev)) continue;
                counts.computeIfAbsent(prev, k -> new HashMap<>()).merge(s, 1, Integer::sum);
                prev = s;
            }
            counts.computeIfAbsent(prev, k -> new HashMap<>()).merge(jn.converted() ? "(conv)" : "(null)", 1,
                    Integer::sum);
        }
        Map<String, Double> x = new HashMap<>();
        for (int it = 0; it < 3_000; it++) { // converges far below 1e-9 on these chains
            Map<String, Double> next = new HashMap<>();
            for (var from : counts.entrySet()) {
                double total = from.getValue().values().stream().mapToInt(Integer::intValue).sum();
                double p = 0;
                for (var to : from.getValue().entrySet()) {
                    String t = to.getKey();
                    if (t.equals(removed) || t.equals("(null)")) continue;
                    p += to.getValue() / total * (t.equals("(conv)") ? 1 : x.getOrDefault(t, 0.0));
                }
                next.put(from.getKey(), p);
            }
            x = next;
        }
        return x.get("(start)");
    }
}
