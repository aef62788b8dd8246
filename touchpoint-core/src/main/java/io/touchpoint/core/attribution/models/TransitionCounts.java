package io.touchpoint.core.attribution.models;

/**
 * Counts of (from, to) transitions keyed by two ints, in an open-addressing table of primitives: a million
 * journeys over thousands of groups make millions of distinct pairs, and boxed map entries for each of them
 * cost more time in allocation and garbage collection than the solving does.
 */
final class TransitionCounts {
    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys = emptyKeys(1 << 10);
    private long[] counts = new long[1 << 10];
    private int size;

    /** Adds one observation of from → to. */
    void add(int from, int to) {
        if (2 * (size + 1) > keys.length) grow();
        long key = key(from, to);
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != EMPTY && keys[i] != key) i = (i + 1) & mask;
        if (keys[i] == EMPTY) {
            keys[i] = key;
            size++;
        }
        counts[i]++;
    }

    interface Visitor {
        void visit(int from, int to, long count);
    }

    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) v.visit((int) (keys[i] >> 32), (int) keys[i], counts[i]);
        }
    }

    private static long key(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads the structured keys
        return (int) (h >>> 32) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        keys = emptyKeys(oldKeys.length * 2);
        counts = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] == EMPTY) continue;
            int i = slot(oldKeys[j], mask);
            while (keys[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            counts[i] = oldCounts[j];
        }
    }

    private static long[] emptyKeys(int n) {
        long[] k = new long[n];
        java.util.Arrays.fill(k, EMPTY);
        return k;
    }
}
