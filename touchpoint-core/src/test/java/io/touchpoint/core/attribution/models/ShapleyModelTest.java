package io.touchpoint.core.attribution.models;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Shapley model: the closed form by hand, and against the textbook Shapley value over v(S). */
class ShapleyModelTest {
    private static Journey j(double conversions, double value, String... states) {
        return new Journey(List.of(states), conversions, value);
    }

    /**
     * (A,B)→1 conv, 100; (A,A)→1, 40, set {A}; (B,C,B)→2, 90, set {B,C}; (C)→0; ()→1, 5.
     * A: 1/2 + 1 = 1.5 conversions, 100/2 + 40 = 90 value.
     * B: 1/2 + 2/2 = 1.5, 100/2 + 90/2 = 95.
     * C: 2/2 = 1, 90/2 = 45 (its own journey did not convert).
     * The empty journey's conversion and value go to no group.
     */
    @Test
    void handSolved() {
        List<Journey> js = List.of(j(1, 100, "A", "B"), j(1, 40, "A", "A"), j(2, 90, "B", "C", "B"), j(0, 0, "C"),
                j(1, 5));
        Map<String, GroupCredit> credits = ShapleyModel.credits(js);
        assertThat(credits.keySet()).containsExactly("A", "B", "C");
        assertThat(credits.get("A").conversions()).isCloseTo(1.5, within(1e-12));
        assertThat(credits.get("A").value()).isCloseTo(90, within(1e-12));
        assertThat(credits.get("B").conversions()).isCloseTo(1.5, within(1e-12));
        assertThat(credits.get("B").value()).isCloseTo(95, within(1e-12));
        assertThat(credits.get("C").conversions()).isCloseTo(1, within(1e-12));
        assertThat(credits.get("C").value()).isCloseTo(45, within(1e-12));
    }

    /**
     * R({A}) = 1, R({A,B}) = 1, R({B,C}) = 2: v({A}) = 1, v({A,B}) = 2, v({C}) = 0, v({A,B,C}) = 4.
     * Textbook Shapley over three players, φ_C = Σ weight · marginal:
     * S = ∅: ⅓·(v{C} − 0) = 0; {A}: ⅙·(v{A,C} − v{A}) = ⅙·0; {B}: ⅙·(v{B,C} − v{B}) = ⅙·2;
     * {A,B}: ⅓·(v{A,B,C} − v{A,B}) = ⅓·2 → φ_C = ⅓ + ⅔ = 1, as the closed form's 2/2.
     */
    @Test
    void characteristicAndBruteForceOnTheHandExample() {
        Map<Set<String>, Double> r = Map.of(Set.of("A"), 1.0, Set.of("A", "B"), 1.0, Set.of("B", "C"), 2.0);
        assertThat(ShapleyModel.characteristic(r, Set.of("A"))).isEqualTo(1.0);
        assertThat(ShapleyModel.characteristic(r, Set.of("A", "B"))).isEqualTo(2.0);
        assertThat(ShapleyModel.characteristic(r, Set.of("C"))).isEqualTo(0.0);
        assertThat(ShapleyModel.characteristic(r, Set.of("A", "B", "C"))).isEqualTo(4.0);
        Map<String, Double> phi = ShapleyModel.bruteForceShapley(r);
        assertThat(phi.get("A")).isCloseTo(1.5, within(1e-12));
        assertThat(phi.get("B")).isCloseTo(1.5, within(1e-12));
        assertThat(phi.get("C")).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void closedFormEqualsTheTextbookShapleyValueOnRandomInputs() {
        Random random = new Random(2018);
        for (int round = 0; round < 200; round++) {
            int players = 1 + random.nextInt(6);
            List<Journey> js = new ArrayList<>();
            Map<Set<String>, Double> r = new HashMap<>();
            for (int k = 0; k < 1 + random.nextInt(12); k++) {
                List<String> states = new ArrayList<>();
                for (int s = 0; s < 1 + random.nextInt(5); s++) states.add("p" + random.nextInt(players));
                double c = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3);
                js.add(new Journey(states, c, 0));
                r.merge(new TreeSet<>(states), c, Double::sum);
            }
            Map<String, Double> phi = ShapleyModel.bruteForceShapley(r);
            Map<String, GroupCredit> credits = ShapleyModel.credits(js);
            assertThat(credits.keySet()).isEqualTo(phi.keySet());
            for (String g : phi.keySet()) {
                assertThat(credits.get(g).conversions()).as("round %d %s", round, g)
                        .isCloseTo(phi.get(g), within(1e-9));
            }
            // Efficiency: the values add up to v(N), all the conversions.
            double total = js.stream().mapToDouble(Journey::conversions).sum();
            assertThat(phi.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(total, within(1e-9));
        }
    }
}
