package io.touchpoint.core.attribution.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.touchpoint.core.attribution.models.AttributionModel.FIRST_TOUCH;
import static io.touchpoint.core.attribution.models.AttributionModel.LAST_NON_DIRECT;
import static io.touchpoint.core.attribution.models.AttributionModel.LAST_TOUCH;
import static io.touchpoint.core.attribution.models.AttributionModel.LINEAR;
import static io.touchpoint.core.attribution.models.AttributionModel.POSITION_BASED;
import static io.touchpoint.core.attribution.models.AttributionModel.TIME_DECAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The rule-based models, one row per (model, path); expected weights worked out by hand. */
class RuleBasedModelsTest {
    private static final Instant CONVERSION = Instant.parse("2024-01-31T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    /** A touchpoint this many (fractional) days before the conversion; "d" marks a Direct one. */
    private static PathTouch t(double daysBefore, String flag) {
        return new PathTouch(CONVERSION.minusMillis(Math.round(daysBefore * 86_400_000)), flag.equals("d"));
    }

    private static PathTouch t(double daysBefore) {
        return t(daysBefore, "");
    }

    private static Arguments row(AttributionModel m, List<PathTouch> path, double... expected) {
        return Arguments.of(m, path, WEEK, expected);
    }

    static Stream<Arguments> table() {
        List<PathTouch> one = List.of(t(3));
        List<PathTouch> oneDirect = List.of(t(3, "d"));
        List<PathTouch> two = List.of(t(10), t(3));
        List<PathTouch> three = List.of(t(14), t(7), t(0, "d"));
        List<PathTouch> fiveDirect = List.of(t(21, "d"), t(14, "d"), t(7, "d"), t(7, "d"), t(0, "d"));
        List<PathTouch> fiveMixed = List.of(t(21), t(14, "d"), t(7), t(7, "d"), t(0, "d"));
        List<PathTouch> tiedTwo = List.of(t(5), t(5, "d"));
        List<PathTouch> tiedThree = List.of(t(2), t(2), t(2));
        List<Arguments> rows = new ArrayList<>();
        // One touchpoint: 100% under every model, direct or not.
        for (AttributionModel m : AttributionModel.RULE_BASED) {
            rows.add(row(m, one, 1));
            rows.add(row(m, oneDirect, 1));
        }
        // Two touchpoints, 10 and 3 days before.
        rows.add(row(FIRST_TOUCH, two, 1, 0));
        rows.add(row(LAST_TOUCH, two, 0, 1));
        rows.add(row(LAST_NON_DIRECT, two, 0, 1));
        rows.add(row(LINEAR, two, 0.5, 0.5));
        // 2^(-10/7) : 2^(-3/7) = 1 : 2 (they are one half-life apart) → 1/3, 2/3
        rows.add(row(TIME_DECAY, two, 1.0 / 3, 2.0 / 3));
        rows.add(row(POSITION_BASED, two, 0.5, 0.5));
        // Three touchpoints, 14, 7, 0 days before; the last is Direct.
        rows.add(row(FIRST_TOUCH, three, 1, 0, 0));
        rows.add(row(LAST_TOUCH, three, 0, 0, 1));
        rows.add(row(LAST_NON_DIRECT, three, 0, 1, 0)); // the last is Direct, so the middle one
        rows.add(row(LINEAR, three, 1.0 / 3, 1.0 / 3, 1.0 / 3));
        // 2^-2, 2^-1, 2^0 = 0.25, 0.5, 1; sum 1.75 → 1/7, 2/7, 4/7
        rows.add(row(TIME_DECAY, three, 1.0 / 7, 2.0 / 7, 4.0 / 7));
        rows.add(row(POSITION_BASED, three, 0.4, 0.2, 0.4));
        // Five touchpoints, 21, 14, 7, 7 (a tie), 0 days before, all Direct.
        rows.add(row(FIRST_TOUCH, fiveDirect, 1, 0, 0, 0, 0));
        rows.add(row(LAST_TOUCH, fiveDirect, 0, 0, 0, 0, 1));
        rows.add(row(LAST_NON_DIRECT, fiveDirect, 0, 0, 0, 0, 1)); // all Direct: the last one
        rows.add(row(LINEAR, fiveDirect, 0.2, 0.2, 0.2, 0.2, 0.2));
        // 1/8, 1/4, 1/2, 1/2, 1; sum 19/8 → 1/19, 2/19, 4/19, 4/19, 8/19
        rows.add(row(TIME_DECAY, fiveDirect, 1.0 / 19, 2.0 / 19, 4.0 / 19, 4.0 / 19, 8.0 / 19));
        // 0.4 first, 0.4 last, 0.2 / 3 to each of the three in the middle
        rows.add(row(POSITION_BASED, fiveDirect, 0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4));
        // Five touchpoints, Direct = no, yes, no, yes, yes: the last non-direct is the third (index 2).
        rows.add(row(LAST_NON_DIRECT, fiveMixed, 0, 0, 1, 0, 0));
        rows.add(row(FIRST_TOUCH, fiveMixed, 1, 0, 0, 0, 0));
        // Ties in time keep the given order: first is the first listed, last the last listed.
        rows.add(row(FIRST_TOUCH, tiedTwo, 1, 0));
        rows.add(row(LAST_TOUCH, tiedTwo, 0, 1));
        rows.add(row(LAST_NON_DIRECT, tiedTwo, 1, 0)); // the second of the tie is Direct
        rows.add(row(TIME_DECAY, tiedThree, 1.0 / 3, 1.0 / 3, 1.0 / 3));
        rows.add(row(POSITION_BASED, tiedThree, 0.4, 0.2, 0.4));
        // A touchpoint after the conversion (clock skew) counts as d = 0: 7 days before → 1/2, 1 day after → 1;
        // → 1/3, 2/3.
        rows.add(row(TIME_DECAY, List.of(t(7), t(-1)), 1.0 / 3, 2.0 / 3));
        // Fractional days: 36 h and 12 h before with a 1-day half-life are one half-life apart → 1/3, 2/3.
        rows.add(Arguments.of(TIME_DECAY, List.of(t(1.5), t(0.5)), Duration.ofDays(1),
                new double[]{1.0 / 3, 2.0 / 3}));
        // A 14-day half-life: 14 and 0 days before → 1/2, 1 → 1/3, 2/3.
        rows.add(Arguments.of(TIME_DECAY, List.of(t(14), t(0)), Duration.ofDays(14),
                new double[]{1.0 / 3, 2.0 / 3}));
        return rows.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} over {1}")
    @MethodSource("table")
    void creditsPerTouchpoint(AttributionModel model, List<PathTouch> path, Duration halfLife, double[] expected) {
        double[] w = RuleBasedModels.credits(model, path, CONVERSION, halfLife);
        assertThat(w).hasSize(path.size());
        assertThat(w).containsExactly(expected, within(1e-12));
        double sum = 0;
        for (double x : w) sum += x;
        assertThat(sum).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void revenueIsSplitByTheWeights() {
        // 120.00 over the five-touchpoint time-decay path: 120/19 × (1, 2, 4, 4, 8)
        List<PathTouch> path = List.of(t(21), t(14), t(7), t(7), t(0));
        double value = 120.0;
        double[] w = RuleBasedModels.credits(TIME_DECAY, path, CONVERSION, WEEK);
        double[] revenue = new double[w.length];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            revenue[i] = w[i] * value;
            total += revenue[i];
        }
        assertThat(revenue).containsExactly(new double[]{120.0 / 19, 240.0 / 19, 480.0 / 19, 480.0 / 19,
                960.0 / 19}, within(1e-9));
        assertThat(total).isCloseTo(value, within(1e-9));
        for (AttributionModel m : AttributionModel.RULE_BASED) {
            double sum = 0;
            for (double x : RuleBasedModels.credits(m, path, CONVERSION, WEEK)) sum += x * value;
            assertThat(sum).as(m.wireName()).isCloseTo(value, within(1e-9));
        }
    }

    @Test
    void oldPathsDoNotUnderflow() {
        // 2^(-1000 days / 1 hour) underflows to 0 for both touchpoints; their ratio is still 2^-24 : 1.
        List<PathTouch> path = List.of(t(1001), t(1000));
        double[] w = RuleBasedModels.credits(TIME_DECAY, path, CONVERSION, Duration.ofHours(1));
        double r = Math.pow(2, -24);
        assertThat(w).containsExactly(new double[]{r / (1 + r), 1 / (1 + r)}, within(1e-12));
    }

    @Test
    void sumsToOneOnLongPaths() {
        java.util.Random random = new java.util.Random(7);
        for (AttributionModel m : AttributionModel.RULE_BASED) {
            for (int n = 1; n <= 60; n++) {
                List<PathTouch> path = new ArrayList<>();
                double days = 30;
                for (int i = 0; i < n; i++) {
                    days -= random.nextDouble() * 0.5;
                    path.add(t(days, random.nextBoolean() ? "d" : ""));
                }
                double sum = 0;
                for (double x : RuleBasedModels.credits(m, path, CONVERSION, WEEK)) {
                    assertThat(x).isBetween(0.0, 1.0);
                    sum += x;
                }
                assertThat(sum).as("%s n=%d", m, n).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void rejectsWhatIsNotARuleBasedQuestion() {
        List<PathTouch> path = List.of(t(1));
        assertThatThrownBy(() -> RuleBasedModels.credits(LINEAR, List.of(), CONVERSION, WEEK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RuleBasedModels.credits(AttributionModel.MARKOV, path, CONVERSION, WEEK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RuleBasedModels.credits(AttributionModel.SHAPLEY, path, CONVERSION, WEEK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RuleBasedModels.credits(TIME_DECAY, path, CONVERSION, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RuleBasedModels.credits(LINEAR, path, CONVERSION, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
