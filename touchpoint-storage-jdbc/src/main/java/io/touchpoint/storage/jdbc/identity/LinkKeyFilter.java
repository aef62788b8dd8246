package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.model.IdentifierType;

import java.util.ArrayList;
import java.util.List;

/**
 * Which identifiers may have a link in the graph: a Bloom filter over the (workspace, type, value) of links, which
 * answers "no" only for an identifier that has none. The identity stage asks it before reading an identifier's
 * links, so a batch reads nothing for identifiers seen for the first time (with the graph cache on, most of what a
 * batch still read). It only ever grows: an erased link stays in it, which costs a read, never a wrong answer.
 * Past its capacity it adds a layer of twice the size, so the rate of false "maybe" stays near one in a hundred.
 * Not thread-safe: the identity stage uses it under its graph lock.
 */
final class LinkKeyFilter {
    private static final int BITS_PER_KEY = 10;
    private static final int HASHES = 7;
    static final int MIN_CAPACITY = 1 << 16;

    private final List<Layer> layers = new ArrayList<>();

    LinkKeyFilter(int expectedKeys) {
        layers.add(new Layer(Math.max(MIN_CAPACITY, expectedKeys)));
    }

    boolean mightContain(String ws, IdentifierType type, String value) {
        long h = hash(ws, type, value);
        for (Layer l : layers) if (l.mightContain(h)) return true;
        return false;
    }

    void add(String ws, IdentifierType type, String value) {
        long h = hash(ws, type, value);
        Layer last = layers.get(layers.size() - 1);
        if (last.keys >= last.capacity) {
            last = new Layer((int) Math.min(Integer.MAX_VALUE / BITS_PER_KEY, 2L * last.capacity));
            layers.add(last);
        }
        last.add(h);
    }

    /** Bytes held, for the record. */
    long bytes() {
        long n = 0;
        for (Layer l : layers) n += l.bits.length * 8L;
        return n;
    }

    /** FNV-1a over the key's parts (a separator and the type between them), finished with MurmurHash3's mixer. */
    static long hash(String ws, IdentifierType type, String value) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, ws);
        h = (h ^ (0x10000 + type.ordinal())) * 0x100000001b3L;
        h = mix(h, value);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
        return h;
    }

    private static final class Layer {
        final int capacity;
        final long[] bits;
        final long size;
        int keys;

        Layer(int capacity) {
            this.capacity = capacity;
            this.size = (long) capacity * BITS_PER_KEY;
            this.bits = new long[(int) ((size + 63) / 64)];
        }

        /** The i-th probe from two halves of the hash (Kirsch and Mitzenmacher's double hashing). */
        private long index(long h, int i) {
            int a = (int) h;
            int b = (int) (h >>> 32) | 1;
            return Math.floorMod(a + (long) i * b, size);
        }

        boolean mightContain(long h) {
            for (int i = 0; i < HASHES; i++) {
                long bit = index(h, i);
                if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) return false;
            }
            return true;
        }

        void add(long h) {
            for (int i = 0; i < HASHES; i++) {
                long bit = index(h, i);
                bits[(int) (bit >>> 6)] |= 1L << bit;
            }
            keys++;
        }
    }
}
