package io.touchpoint.core.traffic;

import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A HyperLogLog sketch of the visitors of a day (docs/TRAFFIC.md): 2^14 one-byte registers, so that the visitors of
 * any range of days are estimated by merging the days' sketches, within about 0.8 % (one standard error), exactly as
 * counted for small numbers (linear counting). Apache DataSketches would do the same, but its releases for Java 21
 * need the preview foreign-memory API, which this build does not enable. A sketch cannot take a visitor out again.
 */
public final class VisitorSketch {
    static final int PRECISION = 14;
    static final int REGISTERS = 1 << PRECISION;
    private static final byte DENSE = 1;
    private static final byte SPARSE = 2;
    private final byte[] registers;

    public VisitorSketch() {
        this.registers = new byte[REGISTERS];
    }

    private VisitorSketch(byte[] registers) {
        this.registers = registers;
    }

    /** Adds a visitor (by its id); adding one twice changes nothing. */
    public void add(String visitor) {
        long hash = Hashing.murmur3_128().hashString(visitor, StandardCharsets.UTF_8).asLong();
        int index = (int) (hash >>> (64 - PRECISION));
        long rest = hash << PRECISION;
        int rank = Math.min(Long.numberOfLeadingZeros(rest), 64 - PRECISION) + 1;
        if (rank > registers[index]) registers[index] = (byte) rank;
    }

    /** Merges {@code other} into this one: this then counts the visitors of both. */
    public void merge(VisitorSketch other) {
        for (int i = 0; i < REGISTERS; i++) {
            if (other.registers[i] > registers[i]) registers[i] = other.registers[i];
        }
    }

    /** The estimated number of distinct visitors added. */
    public long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += Math.scalb(1.0, -r);
            if (r == 0) zeros++;
        }
        double m = REGISTERS;
        double raw = 0.7213 / (1 + 1.079 / m) * m * m / sum;
        if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
        return Math.round(raw);
    }

    /**
     * The sketch as stored: a small one as its set registers (three bytes each), a large one as all of them, so that a
     * quiet day costs a few bytes rather than 16 KB.
     */
    public byte[] toBytes() {
        int set = 0;
        for (byte r : registers) if (r != 0) set++;
        if (set * 3 >= REGISTERS) {
            byte[] out = new byte[REGISTERS + 1];
            out[0] = DENSE;
            System.arraycopy(registers, 0, out, 1, REGISTERS);
            return out;
        }
        byte[] out = new byte[1 + set * 3];
        out[0] = SPARSE;
        int at = 1;
        for (int i = 0; i < REGISTERS; i++) {
            if (registers[i] == 0) continue;
            out[at++] = (byte) (i >>> 8);
            out[at++] = (byte) i;
            out[at++] = registers[i];
        }
        return out;
    }

    /** A sketch as {@link #toBytes} wrote it; an empty or null value is an empty sketch. */
    public static VisitorSketch fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return new VisitorSketch();
        if (bytes[0] == DENSE && bytes.length == REGISTERS + 1) return new VisitorSketch(Arrays.copyOfRange(bytes, 1, bytes.length));
        if (bytes[0] != SPARSE || (bytes.length - 1) % 3 != 0) throw new IllegalArgumentException("not a visitor sketch");
        byte[] registers = new byte[REGISTERS];
        for (int at = 1; at < bytes.length; at += 3) {
            int index = ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
            registers[index] = bytes[at + 2];
        }
        return new VisitorSketch(registers);
    }
}
