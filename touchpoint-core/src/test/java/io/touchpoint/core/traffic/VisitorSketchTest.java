package io.touchpoint.core.traffic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VisitorSketchTest {
    private static VisitorSketch of(int first, int count) {
        VisitorSketch s = new VisitorSketch();
        for (int i = first; i < first + count; i++) s.add("prf_" + i);
        return s;
    }

    @Test
    void countsFewVisitorsExactlyAndRepeatsOnce() {
        VisitorSketch s = of(0, 25);
        s.add("prf_3");
        assertThat(s.estimate()).isEqualTo(25);
        assertThat(new VisitorSketch().estimate()).isZero();
    }

    @Test
    void estimatesManyVisitorsWithinAFewStandardErrors() {
        for (int n : new int[]{1_000, 30_000, 200_000}) {
            assertThat((double) of(0, n).estimate()).as("%d visitors", n).isCloseTo(n, within(n * 0.03));
        }
    }

    @Test
    void mergedDaysCountAVisitorOfBothOnce() {
        VisitorSketch monday = of(0, 60_000);
        monday.merge(of(40_000, 60_000)); // 20,000 came on both days
        assertThat((double) monday.estimate()).isCloseTo(100_000, within(3_000.0));
    }

    @Test
    void storedSmallAsItsSetRegistersAndLargeAsAllOfThem() {
        VisitorSketch small = of(0, 10);
        assertThat(small.toBytes()).hasSize(1 + 10 * 3);
        assertThat(VisitorSketch.fromBytes(small.toBytes()).estimate()).isEqualTo(10);
        VisitorSketch large = of(0, 50_000);
        assertThat(large.toBytes()).hasSize(VisitorSketch.REGISTERS + 1);
        assertThat(VisitorSketch.fromBytes(large.toBytes()).estimate()).isEqualTo(large.estimate());
        assertThat(VisitorSketch.fromBytes(null).estimate()).isZero();
        assertThatThrownBy(() -> VisitorSketch.fromBytes(new byte[]{9, 1})).isInstanceOf(IllegalArgumentException.class);
    }
}
