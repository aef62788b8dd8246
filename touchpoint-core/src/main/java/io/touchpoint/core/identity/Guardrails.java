package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-workspace identity guardrails (docs/IDENTITY.md): a limit per identifier type on one profile, values that never
 * link anything, the number of profiles one value may be on before it stops linking, and how long a
 * fingerprint + ip stays joinable.
 *
 * @param limits              most distinct values of each type on one profile; a type not listed uses {@link #DEFAULT_LIMIT}
 * @param blockedValues       extra blocked values, each written {@code type:value} (normalised), on top of the defaults
 * @param defaultBlocklist    whether the built-in blocked values apply (empty strings, test emails, same-digit phones…)
 * @param maxProfilesPerValue a value already on this many profiles stops linking and matching
 * @param fingerprintWindow   how recently a fingerprint + ip must have been seen to join an event to its visitor
 */
public record Guardrails(Map<IdentifierType, Integer> limits, Set<String> blockedValues, boolean defaultBlocklist,
                         int maxProfilesPerValue, Duration fingerprintWindow) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int DEFAULT_MAX_PROFILES_PER_VALUE = 10;
    public static final Duration DEFAULT_FINGERPRINT_WINDOW = Duration.ofDays(7);
    public static final Map<IdentifierType, Integer> DEFAULT_LIMITS = defaultLimits();
    public static final Guardrails DEFAULTS = new Guardrails(DEFAULT_LIMITS, Set.of(), true,
            DEFAULT_MAX_PROFILES_PER_VALUE, DEFAULT_FINGERPRINT_WINDOW);

    private static final Set<String> JUNK = Set.of("", "null", "undefined", "none", "nil", "n/a", "na", "0",
            "unknown", "[object object]", "test", "-");
    private static final Set<String> JUNK_EMAIL_LOCALS = Set.of("test", "none", "null", "noemail", "no-email",
            "noreply", "no-reply", "nobody", "unknown", "asdf", "email", "example", "abc", "a", "xxx", "fake");
    private static final Set<String> JUNK_EMAIL_DOMAINS = Set.of("test.com", "example.com", "email.com",
            "domain.com", "none.com", "test.test", "noemail.com");

    public Guardrails {
        Objects.requireNonNull(fingerprintWindow, "fingerprintWindow");
        EnumMap<IdentifierType, Integer> l = new EnumMap<>(IdentifierType.class);
        if (limits != null) l.putAll(limits);
        for (var e : l.entrySet()) {
            if (e.getValue() < 1) throw new IllegalArgumentException("limit for " + e.getKey().wireName() + " must be at least 1");
        }
        limits = Map.copyOf(l);
        blockedValues = blockedValues == null ? Set.of() : Set.copyOf(blockedValues);
        if (maxProfilesPerValue < 1) throw new IllegalArgumentException("maxProfilesPerValue must be at least 1");
        if (fingerprintWindow.isNegative()) throw new IllegalArgumentException("fingerprintWindow must not be negative");
    }

    private static Map<IdentifierType, Integer> defaultLimits() {
        EnumMap<IdentifierType, Integer> m = new EnumMap<>(IdentifierType.class);
        m.put(IdentifierType.EMAIL, 5);
        m.put(IdentifierType.PHONE, 5);
        m.put(IdentifierType.CLIENT_ID, 3);
        m.put(IdentifierType.VISITOR_TOKEN, 25);
        m.put(IdentifierType.FINGERPRINT, 25);
        return Map.copyOf(m);
    }

    public int limit(IdentifierType type) {
        return limits.getOrDefault(type, DEFAULT_LIMITS.getOrDefault(type, DEFAULT_LIMIT));
    }

    /** Whether the identifier must never link anything. */
    public boolean blocked(Identifier id) {
        String v = id.value().strip().toLowerCase(Locale.ROOT);
        if (blockedValues.contains(id.type().wireName() + ":" + v)) return true;
        if (!defaultBlocklist) return false;
        if (JUNK.contains(v)) return true;
        return switch (id.type()) {
            case EMAIL -> junkEmail(v);
            case PHONE -> junkPhone(v);
            default -> false;
        };
    }

    static boolean junkEmail(String v) {
        int at = v.indexOf('@');
        if (at < 0) return true;
        String local = v.substring(0, at);
        String domain = v.substring(at + 1);
        if (local.isEmpty() || domain.isEmpty()) return true;
        String bareLocal = local.replaceAll("[0-9]+$", "");
        // test@test.com, test123@anything, anything@test.com; example.com is kept for real-looking locals
        if (domain.equals("test.com") || domain.equals("test.test")) return true;
        return JUNK_EMAIL_LOCALS.contains(bareLocal) && (JUNK_EMAIL_DOMAINS.contains(domain) || bareLocal.equals("test")
                || bareLocal.startsWith("no"));
    }

    static boolean junkPhone(String v) {
        String digits = v.replaceAll("[^0-9]", "");
        if (digits.length() < 6) return true;
        // all one digit, allowing a country code of up to three digits before it: 0000000000, +15555555555
        for (int cc = 0; cc <= 3 && cc < digits.length() - 5; cc++) {
            String rest = digits.substring(cc);
            if (rest.chars().allMatch(c -> c == rest.charAt(0))) return true;
        }
        return digits.endsWith("1234567890") || digits.endsWith("123456789") || digits.endsWith("0123456789");
    }

    public Guardrails withLimit(IdentifierType type, int limit) {
        EnumMap<IdentifierType, Integer> l = new EnumMap<>(IdentifierType.class);
        l.putAll(limits);
        l.put(type, limit);
        return new Guardrails(l, blockedValues, defaultBlocklist, maxProfilesPerValue, fingerprintWindow);
    }

    public Guardrails withMaxProfilesPerValue(int n) {
        return new Guardrails(limits, blockedValues, defaultBlocklist, n, fingerprintWindow);
    }

    public Guardrails withBlocked(Identifier id) {
        java.util.HashSet<String> b = new java.util.HashSet<>(blockedValues);
        b.add(id.type().wireName() + ":" + id.value().strip().toLowerCase(Locale.ROOT));
        return new Guardrails(limits, b, defaultBlocklist, maxProfilesPerValue, fingerprintWindow);
    }

    public Guardrails withFingerprintWindow(Duration window) {
        return new Guardrails(limits, blockedValues, defaultBlocklist, maxProfilesPerValue, window);
    }
}
