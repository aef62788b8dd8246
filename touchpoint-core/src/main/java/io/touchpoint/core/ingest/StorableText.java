package io.touchpoint.core.ingest;

/**
 * Characters that a store cannot hold in a text column, whatever the store: U+0000 (PostgreSQL refuses it in
 * TEXT, SQLite's functions stop at it) and a UTF-16 surrogate without its pair (it has no UTF-8 encoding, so a
 * driver writes something else than what was read). Both stores are held to the stricter rule, so a payload gets
 * the same answer on either.
 */
public final class StorableText {
    private StorableText() {
    }

    /** The index of the first character no store can hold, or -1 when there is none. */
    public static int firstUnstorable(String s) {
        if (s == null) return -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return i;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) return i;
        }
        return -1;
    }

    public static boolean storable(String s) {
        return firstUnstorable(s) < 0;
    }

    /** How the first unstorable character of {@code s} is named in an error ("U+0000"). */
    public static String describeFirst(String s) {
        int i = firstUnstorable(s);
        return i < 0 ? "" : String.format("U+%04X", (int) s.charAt(i));
    }

    /** {@code s} without the characters no store can hold: for free text, where dropping them loses nothing. */
    public static String strip(String s) {
        if (storable(s)) return s;
        return rewrite(s, false);
    }

    /**
     * {@code s} with each character no store can hold written as its JSON escape ({@code \u0000}): for what is kept
     * to be read by a person (a refused payload, an error message), where the character must still show.
     */
    public static String escape(String s) {
        if (storable(s)) return s;
        return rewrite(s, true);
    }

    private static String rewrite(String s, boolean escape) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                b.append(c).append(s.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                if (escape) b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
