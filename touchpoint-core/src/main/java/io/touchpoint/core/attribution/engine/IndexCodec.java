package io.touchpoint.core.attribution.engine;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * A {@link ReportIndex} as bytes, so that a server can keep it beside its store and read it back at start instead of
 * reading every row again: a magic word and {@link #FORMAT}, a header its owner chooses (what the index was read from
 * and as of when), the columns as little-endian arrays and the index's names, then a CRC-32C of everything before it.
 * A read that finds anything else (another format, a header its owner refuses, a short or altered file) fails rather
 * than answering a different index.
 */
public final class IndexCodec {
    /** Raised when the columns or their order change, so that an older file is refused. */
    public static final int FORMAT = 1;
    private static final int MAGIC = 0x54504958; // "TPIX"
    private static final int BUFFER = 1 << 20;

    private IndexCodec() {
    }

    /** Where the encoded bytes go, e.g. a file channel's {@code write}: the core itself opens no file. */
    @FunctionalInterface
    public interface ByteSink {
        /** Writes some of the buffer's remaining bytes; answers how many. */
        int write(ByteBuffer src) throws IOException;
    }

    /** Where the encoded bytes come from, e.g. a file channel's {@code read}. */
    @FunctionalInterface
    public interface ByteSource {
        /** Reads into the buffer; answers how many bytes, or -1 at the end. */
        int read(ByteBuffer dst) throws IOException;
    }

    /**
     * Each of the index's profile numbers' key, for {@link #write}. The index's profile map is shared with the next
     * rebuild, which adds to it: the caller keeps rebuilds out meanwhile (entries are only ever added, above the index's
     * own).
     */
    public static String[] profileNames(ReportIndex ix) {
        String[] names = new String[ix.touchStart.length - 1];
        for (Map.Entry<String, Integer> e : ix.profiles.entrySet()) {
            if (e.getValue() < names.length) names[e.getValue()] = e.getKey();
        }
        return names;
    }

    /** Writes {@code ix} (with {@code profileNames} from {@link #profileNames}) after {@code header}. */
    public static void write(ReportIndex ix, String[] profileNames, byte[] header, ByteSink sink)
            throws IOException {
        Out out = new Out(sink);
        out.putInt(MAGIC);
        out.putInt(FORMAT);
        out.putBytes(header);
        out.putString(ix.zone.getId());
        out.putInt(profileNames.length);
        for (String p : profileNames) out.putString(p);
        String[][] shapes = ix.shapeTable.values();
        out.putInt(shapes.length);
        for (String[] values : shapes) {
            out.putInt(values.length);
            for (String v : values) out.putString(v);
        }
        out.putStrings(ix.eventNames);
        out.putStrings(ix.currencies);
        // in the order read() takes them back
        for (Object column : new Object[]{ix.touchStart, ix.touchTime, ix.touchId, ix.touchShape, ix.convDay, ix.convTime,
                ix.convProfile, ix.convEvent, ix.convValue, ix.convCurrency}) {
            switch (column) {
                case int[] a -> out.putInts(a);
                case long[] a -> out.putLongs(a);
                case double[] a -> out.putDoubles(a);
                default -> throw new IllegalStateException("a column of " + column.getClass());
            }
        }
        out.finish();
    }

    /**
     * The index written by {@link #write}, {@code size} bytes long (the file's size: no count beyond it is believed), or
     * empty when {@code acceptHeader} refuses its header (nothing more is read).
     *
     * @throws IOException when the bytes are not a whole index of this format (short, altered, another format)
     */
    public static java.util.Optional<ReportIndex> read(ByteSource source, long size, Predicate<byte[]> acceptHeader)
            throws IOException {
        In in = new In(source, size);
        try {
            return read(in, acceptHeader);
        } catch (RuntimeException e) { // a name or a shape no index holds
            throw new IOException("not a report index: " + e.getMessage(), e);
        }
    }

    private static java.util.Optional<ReportIndex> read(In in, Predicate<byte[]> acceptHeader) throws IOException {
        if (in.getInt() != MAGIC) throw new IOException("not a report index");
        int format = in.getInt();
        if (format != FORMAT) throw new IOException("report index format " + format + ", not " + FORMAT);
        if (!acceptHeader.test(in.getBytes())) return java.util.Optional.empty();
        ZoneId zone;
        try {
            zone = ZoneId.of(in.getString());
        } catch (java.time.DateTimeException e) {
            throw new IOException("unknown time zone", e);
        }
        int profileCount = in.getCount(4);
        Map<String, Integer> profiles = HashMap.newHashMap(profileCount);
        for (int p = 0; p < profileCount; p++) profiles.put(in.getString(), p);
        if (profiles.size() != profileCount) throw new IOException("a profile is named twice");
        Shapes shapes = new Shapes();
        int shapeCount = in.getCount(4);
        for (int s = 0; s < shapeCount; s++) {
            String[] values = new String[in.getCount(4)];
            for (int i = 0; i < values.length; i++) values[i] = in.getString();
            if (s > 0 && shapes.of(List.of(values)) != s) throw new IOException("a shape is listed twice");
        }
        String[] eventNames = in.getStrings();
        String[] currencies = in.getStrings();
        int[] touchStart = in.getInts();
        long[] touchTime = in.getLongs();
        long[] touchId = in.getLongs();
        int[] touchShape = in.getInts();
        int[] convDay = in.getInts();
        long[] convTime = in.getLongs();
        int[] convProfile = in.getInts();
        int[] convEvent = in.getInts();
        double[] convValue = in.getDoubles();
        int[] convCurrency = in.getInts();
        in.finish();
        int touches = touchTime.length;
        int conversions = convDay.length;
        if (touchStart.length != profileCount + 1 || touchStart[profileCount] != touches || touchId.length != touches
                || touchShape.length != touches || convTime.length != conversions || convProfile.length != conversions
                || convEvent.length != conversions || convValue.length != conversions || convCurrency.length != conversions) {
            throw new IOException("the report index's columns disagree");
        }
        return java.util.Optional.of(new ReportIndex(zone, shapes, profiles, eventNames, currencies, touchStart, touchTime,
                touchId, touchShape, convDay, convTime, convProfile, convEvent, convValue, convCurrency));
    }

    /** Copies items [off, off + n) of an array between it and the buffer, from the buffer's position. */
    private interface Chunk {
        void copy(int off, int n);
    }

    /** Makes at least this many bytes writable or readable in the buffer. */
    private interface Room {
        void atLeast(int bytes) throws IOException;
    }

    /** {@code length} items of {@code width} bytes between an array and {@code buf}, a buffer's worth at a time. */
    private static void inChunks(ByteBuffer buf, int length, int width, Room room, Chunk chunk) throws IOException {
        for (int off = 0; off < length; ) {
            room.atLeast(width);
            int n = Math.min(buf.remaining() / width, length - off);
            chunk.copy(off, n);
            buf.position(buf.position() + n * width);
            off += n;
        }
    }

    /** Buffered little-endian writes, with the checksum of what was written. */
    private static final class Out {
        private final ByteSink sink;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        Out(ByteSink sink) {
            this.sink = sink;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) flush();
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) sink.write(buf);
            buf.clear();
        }

        void putInt(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void putBytes(byte[] b) throws IOException {
            putInt(b.length);
            for (int off = 0; off < b.length; ) {
                room(1);
                int n = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, n);
                off += n;
            }
        }

        void putString(String s) throws IOException {
            if (s == null) {
                putInt(-1);
                return;
            }
            putBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void putStrings(String[] s) throws IOException {
            putInt(s.length);
            for (String v : s) putString(v);
        }

        void putInts(int[] a) throws IOException {
            putArray(a.length, 4, (off, n) -> buf.asIntBuffer().put(a, off, n));
        }

        void putLongs(long[] a) throws IOException {
            putArray(a.length, 8, (off, n) -> buf.asLongBuffer().put(a, off, n));
        }

        void putDoubles(double[] a) throws IOException {
            putArray(a.length, 8, (off, n) -> buf.asDoubleBuffer().put(a, off, n));
        }

        /** An array's length, then its items, as many at a time as the buffer holds. */
        private void putArray(int length, int width, Chunk chunk) throws IOException {
            putInt(length);
            inChunks(buf, length, width, this::room, chunk);
        }

        void finish() throws IOException {
            flush();
            buf.putLong(crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) sink.write(buf);
        }
    }

    /** Buffered little-endian reads, checking what was read against the checksum at the end. */
    private static final class In {
        private final ByteSource source;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private final long size;

        In(ByteSource source, long size) {
            this.source = source;
            this.size = size;
            buf.limit(0);
        }

        /** Makes at least n bytes readable; the bytes read past are added to the checksum first. */
        private void need(int n) throws IOException {
            if (buf.remaining() >= n) return;
            int consumed = buf.position();
            crc.update(buf.duplicate().flip().limit(consumed));
            buf.compact();
            while (buf.position() < n) {
                if (source.read(buf) < 0) throw new EOFException("the report index ends early");
            }
            buf.flip();
        }

        int getInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        /** A count of items of {@code bytes} each: one the file cannot hold is refused before anything is allocated. */
        int getCount(int bytes) throws IOException {
            int n = getInt();
            if (n < 0 || (long) n * bytes > size) throw new IOException("a count of " + n + " in a file of " + size + " bytes");
            return n;
        }

        byte[] getBytes() throws IOException {
            int n = getCount(1);
            byte[] b = new byte[n];
            for (int off = 0; off < n; ) {
                need(1);
                int k = Math.min(buf.remaining(), n - off);
                buf.get(b, off, k);
                off += k;
            }
            return b;
        }

        String getString() throws IOException {
            int n = getInt();
            if (n == -1) return null;
            buf.position(buf.position() - 4);
            return new String(getBytes(), StandardCharsets.UTF_8);
        }

        String[] getStrings() throws IOException {
            String[] s = new String[getCount(4)];
            for (int i = 0; i < s.length; i++) s[i] = getString();
            return s;
        }

        int[] getInts() throws IOException {
            int[] a = new int[getCount(4)];
            getArray(a.length, 4, (off, n) -> buf.asIntBuffer().get(a, off, n));
            return a;
        }

        long[] getLongs() throws IOException {
            long[] a = new long[getCount(8)];
            getArray(a.length, 8, (off, n) -> buf.asLongBuffer().get(a, off, n));
            return a;
        }

        double[] getDoubles() throws IOException {
            double[] a = new double[getCount(8)];
            getArray(a.length, 8, (off, n) -> buf.asDoubleBuffer().get(a, off, n));
            return a;
        }

        /** An array's items, as many at a time as the buffer holds. */
        private void getArray(int length, int width, Chunk chunk) throws IOException {
            inChunks(buf, length, width, this::need, chunk);
        }

        /** Checks the checksum, and that nothing follows it. */
        void finish() throws IOException {
            crc.update(buf.duplicate().flip().limit(buf.position()));
            long expected = crc.getValue();
            buf.compact();
            while (buf.position() < 8) {
                if (source.read(buf) < 0) throw new EOFException("the report index ends early");
            }
            buf.flip();
            if (buf.getLong() != expected) throw new IOException("the report index's checksum does not match");
            if (buf.hasRemaining() || source.read(ByteBuffer.allocate(1)) > 0) throw new IOException("bytes after the report index");
        }
    }
}
