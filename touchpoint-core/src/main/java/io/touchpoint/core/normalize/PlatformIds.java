package io.touchpoint.core.normalize;

/**
 * The meaningful part of the ad platforms' cookies, so that one click or one browser is one value however a sender
 * passes it on. The shapes are exact; anything else is not recognised (null), and is then kept as it was sent. The
 * schema migrations that re-key stored identity links (SQLite V12, PostgreSQL V11) implement the same shapes in SQL:
 * change both together.
 */
public final class PlatformIds {
    private PlatformIds() {
    }

    /**
     * The Meta click id in an {@code _fbc} cookie: {@code fb.<subdomain index>.<creation ms>.<fbclid>}, optionally
     * followed by {@code .<appendix>} (Meta's parameter builder adds one), gives {@code <fbclid>}; null for any other
     * text, a bare fbclid included (Meta's click ids contain no dot).
     */
    public static String fbclidOfFbc(String value) {
        if (value == null || !value.startsWith("fb.")) return null;
        int a = digitsThenDot(value, 3);
        if (a < 0) return null;
        int b = digitsThenDot(value, a);
        if (b < 0) return null;
        int end = value.indexOf('.', b);
        if (end < 0) end = value.length();
        return end > b ? value.substring(b, end) : null;
    }

    /**
     * The GA client id in an {@code _ga} cookie: {@code GA<version>.<domain depth>.<random>.<timestamp>} gives
     * {@code <random>.<timestamp>}; null for any other text, a bare client id included.
     */
    public static String gaClientIdOfCookie(String value) {
        if (value == null || !value.startsWith("GA")) return null;
        int a = digitsThenDot(value, 2);
        if (a < 0) return null;
        int b = digitsThenDot(value, a);
        if (b < 0) return null;
        int c = digitsThenDot(value, b);
        if (c < 0 || !digits(value, c, value.length())) return null;
        return value.substring(b);
    }

    /** Whether {@code value} is a bare GA client id, {@code <random>.<timestamp>}. */
    public static boolean isGaClientId(String value) {
        if (value == null) return false;
        int a = digitsThenDot(value, 0);
        return a > 0 && digits(value, a, value.length());
    }

    /** The index after "digits." starting at {@code from}, or -1 when there is not at least one digit then a dot. */
    private static int digitsThenDot(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i > from && i < s.length() && s.charAt(i) == '.' ? i + 1 : -1;
    }

    private static boolean digits(String s, int from, int to) {
        if (to <= from) return false;
        for (int i = from; i < to; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
