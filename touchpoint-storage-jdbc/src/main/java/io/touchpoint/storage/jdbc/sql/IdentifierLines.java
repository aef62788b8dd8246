package io.touchpoint.storage.jdbc.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The text of event_log.identifiers: an entry's identifiers as ingest writes them for the log indexer to copy, one
 * {@code type<TAB>value} a line, the whole between newlines ({@code "\nemail\tjane@example.com\nphone\t1650…\n"}), so
 * that one identifier is found in it as {@link #needle}. A value holding a tab or a line break is not indexed.
 */
public final class IdentifierLines {
    private IdentifierLines() {
    }

    public static boolean fits(String value) {
        return value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
    }

    public static String line(String type, String value) {
        return type + '\t' + value;
    }

    public static String join(Collection<String> lines) {
        return "\n" + String.join("\n", lines) + "\n";
    }

    /** What the column holds, somewhere, when it names this identifier. */
    public static String needle(String type, String value) {
        return "\n" + line(type, value) + "\n";
    }

    /** {type, value} pairs of a column's text. */
    public static List<String[]> parse(String text) {
        List<String[]> out = new ArrayList<>();
        if (text == null) return out;
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) out.add(new String[]{line.substring(0, tab), line.substring(tab + 1)});
        }
        return out;
    }
}
