package io.touchpoint.core.attribution.paths;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Paths counted by hand: collapsed repeats, the stand-in apart from Direct touchpoints, currencies apart, averages. */
class PathTallyTest {
    private static final long DAY = 86_400_000L;

    @Test
    void consecutiveRepeatsCollapseIntoOneStepAndSeparatedOnesStay() {
        assertThat(PathTally.collapse(List.of("Paid Search", "Paid Search", "Email", "Paid Search")))
                .containsExactly("Paid Search", "Email", "Paid Search");
        assertThat(PathTally.collapse(List.of())).isEmpty();
    }

    @Test
    void countsConversionsRevenueDaysAndTouchesPerPathMostConversionsFirst() {
        PathTally tally = new PathTally("EUR");
        // Paid Social → Paid Search, twice: 3 touches over 4 days (100 EUR), 2 touches over 2 days (50 USD)
        tally.accept(new ConversionPath(List.of("Paid Social", "Paid Search", "Paid Search"), 0, 4 * DAY, 100.0, "EUR"));
        tally.accept(new ConversionPath(List.of("Paid Social", "Paid Search"), DAY, 3 * DAY, 50.0, "USD"));
        // Direct touchpoint, and a conversion without any touchpoint: two different paths
        tally.accept(new ConversionPath(List.of("Direct"), 0, DAY / 2, 10.0, "EUR"));
        tally.accept(new ConversionPath(List.of(), 5 * DAY, 5 * DAY, null, ""));

        PathTally.Result r = tally.top(10);
        assertThat(r.conversions()).isEqualTo(4);
        assertThat(r.distinctPaths()).isEqualTo(3);
        PathTally.Path first = r.paths().getFirst();
        assertThat(first.steps()).containsExactly("Paid Social", "Paid Search");
        assertThat(first.conversions()).isEqualTo(2);
        assertThat(first.revenue()).isEqualTo(100.0);
        assertThat(first.revenueOtherCurrencies()).isEqualTo(Map.of("USD", 50.0));
        assertThat(first.averageDays()).isCloseTo(3.0, within(1e-9)); // (4 + 2) / 2
        assertThat(first.averageTouches()).isCloseTo(2.5, within(1e-9)); // (3 + 2) / 2, before collapsing
        // one conversion each: more revenue first
        assertThat(r.paths().get(1).steps()).containsExactly("Direct");
        assertThat(r.paths().get(1).withoutTouchpoints()).isFalse();
        assertThat(r.paths().get(1).averageDays()).isCloseTo(0.5, within(1e-9));
        PathTally.Path none = r.paths().get(2);
        assertThat(none.steps()).containsExactly(PathTally.NO_TOUCHPOINT);
        assertThat(none.withoutTouchpoints()).isTrue();
        assertThat(none.averageTouches()).isZero();
        assertThat(none.revenue()).isZero();

        assertThat(tally.top(1).paths()).hasSize(1);
        assertThat(tally.top(1).distinctPaths()).isEqualTo(3);
    }
}
