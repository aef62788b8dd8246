package io.touchpoint.core.attribution.engine;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RowOrderTest {
    @Test
    void ordersARangeByTimeThenIdAndLeavesTheRestAlone() {
        long[] time = {50, 30, 30, 10, 99};
        long[] id = {1, 7, 2, 5, 0};
        int[] order = {4, 0, 1, 2, 3};
        RowOrder.byTimeThenId(order, 1, 4, time, id);
        assertThat(order).containsExactly(4, 2, 1, 0, 3);
    }

    @Test
    void aRangeInOrderAlreadyStaysAsItIs() {
        long[] time = {1, 2, 2, 3};
        long[] id = {9, 1, 4, 0};
        int[] order = {0, 1, 2, 3};
        RowOrder.byTimeThenId(order, 0, 4, time, id);
        assertThat(order).containsExactly(0, 1, 2, 3);
    }

    /** Short ranges are insertion-sorted and long ones (over 32 rows) fully sorted: both agree with a plain sort. */
    @Test
    void agreesWithASortByTimeThenId() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(81);
            long[] time = random.longs(n, 0, 20).toArray();
            long[] id = random.longs(n, 0, 1_000).toArray();
            int[] order = IntStream.range(0, n).toArray();
            RowOrder.byTimeThenId(order, 0, n, time, id);
            int[] expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingLong(r -> time[r]).thenComparingLong(r -> id[r]))
                    .mapToInt(Integer::intValue).toArray();
            assertThat(order).as("round %d, %d rows", round, n).containsExactly(expected);
        }
    }
}
