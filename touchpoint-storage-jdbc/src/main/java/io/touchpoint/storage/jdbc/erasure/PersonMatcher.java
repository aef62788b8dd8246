package io.touchpoint.storage.jdbc.erasure;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.normalize.Phones;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a text as it was sent (a refused request's payload, an error message) names a person, given the
 * identifiers of their profile in their stored, normalised forms. The text is also read with JSON {@code \}u
 * escapes and URL percent-encoding undone. E-mail addresses are found in any case; phone numbers in the forms
 * people write them: with or without the country code, an international ({@code +}, {@code 00}, {@code 011}) or
 * trunk ({@code 0}) prefix, spaces, dots, dashes, slashes or brackets between the digits ("+1 (415) 555-0188",
 * "0044 20 7946 0958", "020 7946 0958"). Other identifiers are found as they are stored (a fingerprint without the
 * address stored with it), when at least {@link #MIN_SEARCHED_LENGTH} characters long: a shorter value cannot be
 * told from other text.
 */
final class PersonMatcher {
    static final int MIN_SEARCHED_LENGTH = 6;
    /** National numbers shorter than this are found only with their country code, for the same reason. */
    private static final int MIN_BARE_NATIONAL_DIGITS = 6;
    /** Characters people put between the digits of a phone number. */
    private static final String PHONE_SEPARATORS = " -.()/+\t\u00a0";
    private final Set<Identifier> identifiers;
    private final List<String> emails = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final List<Phones.Parts> phones = new ArrayList<>();

    PersonMatcher(Collection<Identifier> identifiers) {
        this.identifiers = Set.copyOf(identifiers);
        Set<String> seen = new LinkedHashSet<>();
        for (Identifier i : this.identifiers) {
            String v = i.value();
            switch (i.type()) {
                case EMAIL -> emails.add(v.toLowerCase(Locale.ROOT));
                case PHONE -> Phones.parts(v).ifPresentOrElse(phones::add, () -> searched(seen, v));
                case FINGERPRINT -> searched(seen, v.indexOf('|') < 0 ? v : v.substring(0, v.indexOf('|')));
                default -> searched(seen, v);
            }
        }
        values.addAll(seen);
    }

    private static void searched(Set<String> values, String v) {
        if (v.length() >= MIN_SEARCHED_LENGTH) values.add(v);
    }

    /** The identifiers this matcher looks for. */
    Set<Identifier> identifiers() {
        return identifiers;
    }

    /** Whether {@code text} names any of the identifiers. */
    boolean namedIn(String text) {
        if (text == null || text.isEmpty()) return false;
        String s = decode(text);
        if (!emails.isEmpty()) {
            String lower = s.toLowerCase(Locale.ROOT);
            for (String e : emails) if (lower.contains(e)) return true;
        }
        for (String v : values) if (s.contains(v)) return true;
        return !phones.isEmpty() && namesPhone(s);
    }

    /**
     * Looks at each run of digits and separators, split at its separators into groups: a window of whole groups
     * names a phone when its digits are the national number after an allowed prefix. Windows rather than the whole
     * run, because a number may stand next to other digits ("order 12 415 555 0188").
     */
    private boolean namesPhone(String s) {
        List<Integer> groupStarts = new ArrayList<>();
        StringBuilder digits = new StringBuilder();
        boolean inGroup = false;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '\n';
            if (c >= '0' && c <= '9') {
                if (!inGroup) groupStarts.add(digits.length());
                inGroup = true;
                digits.append(c);
            } else if (PHONE_SEPARATORS.indexOf(c) >= 0) {
                inGroup = false;
            } else {
                if (!digits.isEmpty() && runNamesPhone(digits, groupStarts)) return true;
                digits.setLength(0);
                groupStarts.clear();
                inGroup = false;
            }
        }
        return false;
    }

    private boolean runNamesPhone(StringBuilder digits, List<Integer> groupStarts) {
        for (Phones.Parts p : phones) {
            String national = p.nationalNumber();
            int longest = national.length() + p.countryCode().length() + 3; // "00" + country code + "0"
            for (int g = 0; g < groupStarts.size(); g++) {
                int from = groupStarts.get(g);
                for (int h = g + 1; h <= groupStarts.size(); h++) {
                    int to = h < groupStarts.size() ? groupStarts.get(h) : digits.length();
                    if (to - from > longest) break;
                    if (to - from >= national.length() && digits.substring(from, to).endsWith(national)
                            && allowedPrefix(digits.substring(from, to - national.length()), p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean allowedPrefix(String prefix, Phones.Parts p) {
        String cc = p.countryCode();
        if (prefix.isEmpty() || prefix.equals("0")) return p.nationalNumber().length() >= MIN_BARE_NATIONAL_DIGITS;
        return prefix.equals(cc) || prefix.equals(cc + "0") || prefix.equals("00" + cc) || prefix.equals("00" + cc + "0")
                || prefix.equals("011" + cc);
    }

    /** {@code text} with JSON {@code \}uXXXX and {@code \/} escapes and ASCII percent-encodings undone. */
    static String decode(String text) {
        if (text.indexOf('\\') < 0 && text.indexOf('%') < 0) return text;
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 5 < n && text.charAt(i + 1) == 'u' && hex(text, i + 2, 4) >= 0) {
                out.append((char) hex(text, i + 2, 4));
                i += 5;
            } else if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '/') {
                out.append('/');
                i++;
            } else if (c == '%' && i + 2 < n && hex(text, i + 1, 2) >= 0 && hex(text, i + 1, 2) < 0x80) {
                out.append((char) hex(text, i + 1, 2));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(String s, int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }

    boolean isEmpty() {
        return emails.isEmpty() && values.isEmpty() && phones.isEmpty();
    }
}
