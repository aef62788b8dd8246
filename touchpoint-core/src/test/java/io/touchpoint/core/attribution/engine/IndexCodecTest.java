package io.touchpoint.core.attribution.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static io.touchpoint.core.attribution.engine.IndexRebuildTest.DAYS;
import static io.touchpoint.core.attribution.engine.IndexRebuildTest.FIRST;
import static io.touchpoint.core.attribution.engine.IndexRebuildTest.ZONE;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.SHAPES;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.shapeOf;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.shapes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An index written and read back is the index: the same rows, the same answers, and a rebuild from it the same as one
 * from the original. Bytes that are not a whole index of this format are refused, never read as another index.
 */
class IndexCodecTest {
    private static final byte[] HEADER = {1, 2, 3};
    private final Random rnd = new Random(19);

    private ReportIndex index() {
        IndexBuilder b = IndexBuilder.fresh(ZONE);
        shapes(b);
        long id = 1;
        for (int k = 0; k < 600; k++) {
            long at = FIRST.plusDays(rnd.nextInt(DAYS)).atStartOfDay(ZONE).toInstant().toEpochMilli() + rnd.nextInt(86_000_000);
            b.touch("prof_" + rnd.nextInt(70), at, id++, shapeOf(SHAPES.get(rnd.nextInt(SHAPES.size()))));
        }
        for (int k = 0; k < 200; k++) {
            LocalDate d = FIRST.plusDays(rnd.nextInt(DAYS));
            b.conversion("prof_" + rnd.nextInt(80), d.atStartOfDay(ZONE).toInstant().toEpochMilli() + rnd.nextInt(86_000_000), d,
                    k % 3 == 0 ? "lead" : "purchase", k % 4 == 0 ? null : (double) rnd.nextInt(300), k % 5 == 0 ? "EUR" : "USD");
        }
        return b.build();
    }

    private static byte[] bytes(ReportIndex ix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexCodec.write(ix, IndexCodec.profileNames(ix), HEADER, Channels.newChannel(out)::write);
        return out.toByteArray();
    }

    private static Optional<ReportIndex> read(byte[] bytes) throws IOException {
        return IndexCodec.read(Channels.newChannel(new java.io.ByteArrayInputStream(bytes))::read, bytes.length,
                h -> Arrays.equals(h, HEADER));
    }

    @Test
    void anIndexReadBackHoldsTheSameRowsAndAnswersAlike() throws IOException {
        ReportIndex ix = index();
        ReportIndex back = read(bytes(ix)).orElseThrow();
        assertThat(back.zone()).isEqualTo(ix.zone());
        assertThat(IndexRebuildTest.paths(back)).isEqualTo(IndexRebuildTest.paths(ix));
        assertThat(IndexRebuildTest.conversionRows(back)).isEqualTo(IndexRebuildTest.conversionRows(ix));
        for (EngineQuery q : IndexRebuildTest.queries()) {
            assertThat(IndexRebuildTest.answer(back, q)).as("%s", q).isEqualTo(IndexRebuildTest.answer(ix, q));
        }
    }

    /** A start brings the index it read forward by the days changed since: the rebuild must not tell the two apart. */
    @Test
    void aRebuildOfAnIndexReadBackEqualsTheRebuildOfTheOriginal() throws IOException {
        ReportIndex ix = index();
        ReportIndex back = read(bytes(ix)).orElseThrow();
        LocalDate day = FIRST.plusDays(4);
        ReportIndex[] rebuilt = new ReportIndex[2];
        int i = 0;
        for (ReportIndex from : new ReportIndex[]{ix, back}) {
            IndexBuilder b = IndexBuilder.rebuild(from, Set.of(day));
            shapes(b);
            long at = day.atStartOfDay(ZONE).toInstant().toEpochMilli() + 3_600_000L;
            b.touch("prof_3", at, 10_000, shapeOf(SHAPES.get(1)));
            b.touch("prof_new", at, 10_001, shapeOf(SHAPES.get(2)));
            b.conversion("prof_new", at + 60_000, day, "purchase", 42.0, "USD");
            rebuilt[i++] = b.build();
        }
        assertThat(IndexRebuildTest.paths(rebuilt[1])).isEqualTo(IndexRebuildTest.paths(rebuilt[0]));
        assertThat(IndexRebuildTest.conversionRows(rebuilt[1])).isEqualTo(IndexRebuildTest.conversionRows(rebuilt[0]));
        for (EngineQuery q : IndexRebuildTest.queries()) {
            assertThat(IndexRebuildTest.answer(rebuilt[1], q)).isEqualTo(IndexRebuildTest.answer(rebuilt[0], q));
        }
    }

    @Test
    void aRefusedHeaderStopsTheRead() throws IOException {
        byte[] b = bytes(index());
        assertThat(IndexCodec.read(Channels.newChannel(new java.io.ByteArrayInputStream(b))::read, b.length, h -> false)).isEmpty();
    }

    @Test
    void aShortOrAlteredFileIsRefused() throws IOException {
        byte[] b = bytes(index());
        assertThatThrownBy(() -> read(Arrays.copyOf(b, b.length - 1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read(Arrays.copyOf(b, b.length / 2))).isInstanceOf(IOException.class);
        byte[] longer = Arrays.copyOf(b, b.length + 1);
        assertThatThrownBy(() -> read(longer)).isInstanceOf(IOException.class);
        for (int at : new int[]{40, b.length / 3, b.length / 2, b.length - 20}) {
            byte[] altered = b.clone();
            altered[at] ^= 0x10;
            assertThatThrownBy(() -> read(altered)).as("byte %d altered", at).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anotherFormatIsRefused() throws IOException {
        byte[] b = bytes(index());
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, IndexCodec.FORMAT + 1);
        assertThatThrownBy(() -> read(b)).isInstanceOf(IOException.class).hasMessageContaining("format");
        byte[] noIndex = "not an index at all".getBytes();
        assertThatThrownBy(() -> read(noIndex)).isInstanceOf(IOException.class);
    }
}
