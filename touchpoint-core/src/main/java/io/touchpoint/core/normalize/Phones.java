package io.touchpoint.core.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Optional;

/**
 * Phone normalisation with libphonenumber: digits with the country code, no symbols, letters or
 * leading zeros ("(650)555-1212" in region US → "16505551212"), the form Meta and Google match on.
 */
public final class Phones {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private Phones() {
    }

    /**
     * @param raw           the number as sent
     * @param defaultRegion ISO 3166 region assumed when the number has no country code
     * @return digits with country code, or empty when it cannot be a phone number
     */
    public static Optional<String> normalize(String raw, String defaultRegion) {
        if (raw == null) return Optional.empty();
        String s = raw.strip();
        if (s.isEmpty() || s.length() > 40) return Optional.empty();
        // "00" is the international prefix almost everywhere but in North America; libphonenumber only
        // understands the default region's own prefix, so read a leading 00 as '+'.
        if (s.startsWith("00")) s = "+" + s.substring(2);
        // letters are vanity numbers (1-800-FLOWERS) to libphonenumber; from a form they are garbage
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(s, defaultRegion);
            if (!UTIL.isPossibleNumber(number)) return Optional.empty();
            // E.164 keeps the national leading zero where it is part of the number (Italy), drops it elsewhere
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code region} is an ISO 3166 region code phone numbers can be read in (e.g. "US", "de"). */
    public static boolean isRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.strip().toUpperCase(java.util.Locale.ROOT));
    }
}
