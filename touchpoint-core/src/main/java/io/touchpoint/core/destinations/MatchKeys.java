package io.touchpoint.core.destinations;

import io.touchpoint.core.normalize.Emails;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * User identifiers normalised the way each platform specifies and hashed with SHA-256 (lower-case hex), since the
 * platforms match on the hash of exactly their normal form. Every method returns the hash, or empty when nothing
 * usable remains; a value that already is a SHA-256 hash passes through unchanged, so nothing is hashed twice.
 */
public final class MatchKeys {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern US_ZIP = Pattern.compile("[0-9]{5}(-?[0-9]{4})?");
    private static final Map<String, String> COUNTRY_CODES = countryCodes();

    private MatchKeys() {
    }

    public static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether the value is a SHA-256 hash as the platforms take it: 64 lower-case hex digits. */
    public static boolean isSha256(String value) {
        return value != null && SHA256.matcher(value).matches();
    }

    // ---- Meta Conversions API, customer information parameters ----

    public static Optional<String> metaEmail(String raw) {
        return hashed(raw, s -> Emails.normalize(s).orElse(null));
    }

    public static Optional<String> metaPhone(String raw) {
        return hashed(raw, MatchKeys::metaPhoneNormalized);
    }

    /** First or last name ({@code fn}, {@code ln}). */
    public static Optional<String> metaName(String raw) {
        return hashed(raw, MatchKeys::metaNameNormalized);
    }

    public static Optional<String> metaCity(String raw) {
        return hashed(raw, MatchKeys::metaCityNormalized);
    }

    public static Optional<String> metaState(String raw) {
        return hashed(raw, MatchKeys::metaStateNormalized);
    }

    /** Zip or postal code; {@code country} (any form {@link #metaCountry} takes, may be null) tells a US zip. */
    public static Optional<String> metaZip(String raw, String country) {
        return hashed(raw, s -> metaZipNormalized(s, country));
    }

    public static Optional<String> metaCountry(String raw) {
        return hashed(raw, MatchKeys::countryCode);
    }

    public static Optional<String> metaExternalId(String raw) {
        return hashed(raw, UnaryOperator.identity());
    }

    // ---- Google Ads enhanced conversions ----

    public static Optional<String> googleEmail(String raw) {
        return hashed(raw, MatchKeys::googleEmailNormalized);
    }

    public static Optional<String> googlePhone(String raw) {
        return hashed(raw, MatchKeys::e164);
    }

    // ---- TikTok Events API ----

    public static Optional<String> tiktokEmail(String raw) {
        return hashed(raw, s -> Emails.normalize(s).orElse(null));
    }

    public static Optional<String> tiktokPhone(String raw) {
        return hashed(raw, MatchKeys::e164);
    }

    public static Optional<String> tiktokExternalId(String raw) {
        return hashed(raw, UnaryOperator.identity());
    }

    // ---- normal forms (package-private for the tests) ----

    /** Digits only, country code included, no leading zeros (a leading 00 is the international prefix). */
    static String metaPhoneNormalized(String raw) {
        String digits = raw.replaceAll("[^0-9]", "").replaceFirst("^0+", "");
        return digits.length() >= 7 && digits.length() <= 15 ? digits : null;
    }

    /** Lower case without punctuation; other letters stay, composed, in UTF-8 ("Valéry" → "valéry"). */
    static String metaNameNormalized(String raw) {
        return composed(raw).toLowerCase(Locale.ROOT).replaceAll("[\\p{P}\\p{S}]", "").strip();
    }

    /** Lower-case letters only: no spaces, punctuation or digits ("New York" → "newyork"). */
    static String metaCityNormalized(String raw) {
        return lettersOnly(raw);
    }

    /** Lower-case letters only, a US state's name replaced by its two-letter code ("California" → "ca"). */
    static String metaStateNormalized(String raw) {
        return UsStates.code(lettersOnly(raw));
    }

    /** Lower case without spaces or dashes; a US zip keeps its first five digits ("94035-1234" → "94035"). */
    static String metaZipNormalized(String raw, String country) {
        String squeezed = raw.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
        String code = country == null ? null : countryCode(country);
        boolean us = "us".equals(code) || (code == null && US_ZIP.matcher(squeezed).matches());
        if (us) {
            String digits = squeezed.replaceAll("[^0-9]", "");
            return digits.length() >= 5 ? digits.substring(0, 5) : null;
        }
        return squeezed.replace("-", "");
    }

    /** ISO 3166-1 alpha-2 in lower case, from a code ("US", "USA") or an English name ("United States"). */
    static String countryCode(String raw) {
        return COUNTRY_CODES.get(lettersOnly(raw));
    }

    /**
     * Trimmed and lower-cased, all whitespace removed; for gmail.com and googlemail.com addresses the dots and
     * any "+suffix" of the part before the @ are removed too, as Google's enhanced conversions specify.
     */
    static String googleEmailNormalized(String raw) {
        String email = Emails.normalize(raw.replaceAll("\\s", "")).orElse(null);
        if (email == null) return null;
        int at = email.indexOf('@');
        String domain = email.substring(at + 1);
        if (!domain.equals("gmail.com") && !domain.equals("googlemail.com")) return email;
        String local = email.substring(0, at).replace(".", "");
        int plus = local.indexOf('+');
        if (plus >= 0) local = local.substring(0, plus);
        return local.isEmpty() ? null : local + "@" + domain;
    }

    /** E.164 with its '+', from digits with country code ("16505551212" → "+16505551212"). */
    static String e164(String raw) {
        String digits = raw.replaceAll("[^0-9]", "").replaceFirst("^0+", "");
        String phone = "+" + digits;
        return E164.matcher(phone).matches() ? phone : null;
    }

    private static Optional<String> hashed(String raw, UnaryOperator<String> normalize) {
        if (raw == null || raw.isBlank()) return Optional.empty();
        String trimmed = raw.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (isSha256(lower)) return Optional.of(lower);
        String normal = normalize.apply(trimmed);
        return normal == null || normal.isEmpty() ? Optional.empty() : Optional.of(sha256(normal));
    }

    private static String composed(String raw) {
        return Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    }

    private static String lettersOnly(String raw) {
        return composed(raw).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}]", "");
    }

    /** Every way a country is commonly written, squeezed to lower-case letters, mapped to its alpha-2 code. */
    private static Map<String, String> countryCodes() {
        Map<String, String> codes = new HashMap<>();
        for (String alpha2 : Locale.getISOCountries()) {
            Locale country = Locale.of("", alpha2);
            String code = alpha2.toLowerCase(Locale.ROOT);
            codes.put(code, code);
            codes.putIfAbsent(lettersOnly(country.getDisplayCountry(Locale.ENGLISH)), code);
            try {
                codes.putIfAbsent(country.getISO3Country().toLowerCase(Locale.ROOT), code);
            } catch (MissingResourceException noAlpha3) {
                // a few reserved codes have no alpha-3 form; the alpha-2 code still works
            }
        }
        codes.putIfAbsent("unitedstatesofamerica", "us");
        codes.putIfAbsent("greatbritain", "gb");
        codes.putIfAbsent("uk", "gb");
        return Map.copyOf(codes);
    }
}
