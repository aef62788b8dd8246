package io.touchpoint.server.http;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one CSV writer of the HTTP edge and the scheduled exports: RFC 4180 quoting, formulas kept as text, streaming. */
class CsvWriterTest {
    private static String csv(List<String> header, List<?>... rows) {
        StringWriter out = new StringWriter();
        try (CsvWriter w = new CsvWriter(out, header)) {
            for (List<?> r : rows) w.row(r);
        }
        return out.toString();
    }

    @Test
    void quotesCellsWithCommasQuotesAndLineBreaksAsRfc4180Says() {
        String text = csv(List.of("a", "b", "c"), List.of("brand, exact", "say \"hi\"", "two\nlines"));
        assertThat(text).isEqualTo("a,b,c\n\"brand, exact\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
    }

    @Test
    void nullIsAnEmptyCellAndNumbersStayNumbers() {
        assertThat(csv(List.of("n", "x", "d"), Arrays.asList(-3, null, 12.5))).isEqualTo("n,x,d\n-3,,12.5\n");
    }

    @Test
    void theHeaderIsWrittenEvenWithoutRows() {
        assertThat(csv(List.of("date", "group"))).isEqualTo("date,group\n");
    }

    @Test
    void textAFormulaWouldRunIsWrittenAsText() {
        for (String formula : List.of("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx")) {
            assertThat(CsvWriter.cell(formula)).isEqualTo("'" + formula);
        }
        assertThat(CsvWriter.cell("Paid Search")).isEqualTo("Paid Search");
        assertThat(CsvWriter.cell("")).isEqualTo("");
        assertThat(CsvWriter.cell(-3)).isEqualTo(-3);
        assertThat(csv(List.of("g"), List.of("=HYPERLINK(\"http://evil.example/\")")))
                .isEqualTo("g\n\"'=HYPERLINK(\"\"http://evil.example/\"\")\"\n");
    }

    @Test
    void unicodeTextPassesUnchanged() {
        assertThat(csv(List.of("g"), List.of("Café – 東京"))).contains("Café – 東京");
    }

    @Test
    void aRowMustFitTheHeader() {
        assertThatThrownBy(() -> csv(List.of("a", "b"), List.of("only one"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsReachTheWriterAsTheyAreWrittenNotAtTheEnd() {
        long[] written = {0};
        Writer counting = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                written[0] += len;
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (CsvWriter w = new CsvWriter(counting, List.of("i", "text"))) {
            for (int i = 0; i < 100_000; i++) w.row(List.of(i, "row number " + i));
            // most of the two megabytes (2.2 MB) are out before the end: only a small buffer is held
            assertThat(written[0]).isGreaterThan(1_500_000L);
        }
    }

    @Test
    void aDownloadNameKeepsToSafeCharacters() {
        assertThat(CsvResponse.safeFilename("attribution-campaign-2026-01-01-2026-01-31.csv"))
                .isEqualTo("attribution-campaign-2026-01-01-2026-01-31.csv");
        assertThat(CsvResponse.safeFilename("a\"; b\r\n/../x.csv")).isEqualTo("a---b---..-x.csv");
        assertThat(CsvResponse.safeFilename("../../etc/passwd")).isEqualTo("-..-etc-passwd");
        assertThat(CsvResponse.safeFilename("")).isEqualTo("export.csv");
    }
}
