package io.touchpoint.server.http;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes CSV row by row to any {@link Writer}: a header line, then one line per row, quoted as RFC 4180 says (a cell
 * with a comma, a quote or a line break in double quotes, quotes doubled). Nothing is held back, so an export of any
 * size takes no more memory than one row. Cells come from what visitors' URLs and senders' payloads said, so a text
 * cell a spreadsheet would read as a formula (starting with {@code = + - @}, a tab or a carriage return) is written
 * with a leading apostrophe, which makes it plain text there; numbers stay numbers.
 */
public final class CsvWriter implements AutoCloseable {
    private static final CsvMapper CSV = new CsvMapper();
    private final SequenceWriter lines;
    private final int columns;

    public CsvWriter(Writer out, List<String> header) {
        CsvSchema.Builder schema = CsvSchema.builder();
        header.forEach(schema::addColumn);
        this.columns = header.size();
        try {
            this.lines = CSV.writer(schema.build().withHeader()).writeValues(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line: as many cells as the header has columns; null is an empty cell. */
    public CsvWriter row(List<?> cells) {
        if (cells.size() != columns) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells under a header of " + columns);
        }
        List<Object> safe = new ArrayList<>(cells.size());
        for (Object c : cells) safe.add(cell(c));
        try {
            lines.write(safe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A text cell a spreadsheet shows as text; anything else as it is. */
    public static Object cell(Object value) {
        if (!(value instanceof String s) || s.isEmpty()) return value;
        char first = s.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + s : s;
    }

    /** Writes what is buffered; the underlying writer stays open. */
    public void flush() {
        try {
            lines.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the CSV (the header is written even when no row was) and closes the writer it was given. */
    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
