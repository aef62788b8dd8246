package io.touchpoint.core.attribution.engine;

import java.util.Arrays;

/**
 * Orders a range of row indexes by their rows' (time, id), rows kept as parallel arrays: a profile's touchpoints and
 * conversions, as the engine's index and the journeys' reader hold them.
 */
public final class RowOrder {
    private RowOrder() {
    }

    /**
     * Sorts {@code order[from, to)} by (time, id) of the rows they name: nothing to do when they are in order already
     * (a stored path is), insertion sort for the usual handful, a full sort for long ones.
     */
    public static void byTimeThenId(int[] order, int from, int to, long[] time, long[] id) {
        int unsorted = from + 1;
        while (unsorted < to && !after(order[unsorted - 1], order[unsorted], time, id)) unsorted++;
        if (unsorted >= to) return;
        if (to - from > 32) {
            Integer[] boxed = new Integer[to - from];
            for (int i = from; i < to; i++) boxed[i - from] = order[i];
            Arrays.sort(boxed, (a, b) -> after(a, b, time, id) ? 1 : after(b, a, time, id) ? -1 : 0);
            for (int i = from; i < to; i++) order[i] = boxed[i - from];
            return;
        }
        for (int i = unsorted; i < to; i++) {
            int r = order[i];
            int j = i - 1;
            while (j >= from && after(order[j], r, time, id)) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = r;
        }
    }

    private static boolean after(int a, int b, long[] time, long[] id) {
        return time[a] > time[b] || time[a] == time[b] && id[a] > id[b];
    }
}
