package io.touchpoint.core.normalize;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email normalisation: trimmed and lower-cased, as Cometly and the ad platforms match on it.
 * Validation is deliberately practical (what ad platforms accept), not full RFC 5322: one '@',
 * a non-empty local part without spaces, and a dotted domain of letters, digits and hyphens.
 */
public final class Emails {
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+");
    private static final Pattern LABEL = Pattern.compile("(?!-)[A-Za-z0-9-]{1,63}(?<!-)");

    private Emails() {
    }

    /** The normalised address, or empty when it cannot be an email address. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.length() > 254) return Optional.empty();
        int at = s.indexOf('@');
        if (at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1) return Optional.empty();
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()
                || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.empty();
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) return Optional.empty();
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) return Optional.empty();
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) return Optional.empty();
        return Optional.of(s);
    }
}
