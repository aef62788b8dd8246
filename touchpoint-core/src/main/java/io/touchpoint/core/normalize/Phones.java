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
            // IS_POSSIBLE_LOCAL_ONLY (a US number without its area code) cannot be matched by ad platforms
            if (UTIL.isPossibleNumberWithReason(number) != PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
                return Optional.empty();
            }
            // E.164 keeps the national leading zero where it is part of the number (Italy), drops it elsewhere
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** A normalised number's country calling code and national significant number: "16505551212" → 1, 6505551212. */
    public record Parts(String countryCode, String nationalNumber) {
    }

    /** The parts of a number in {@link #normalize}'s form, or empty when it is not one. */
    public static Optional<Parts> parts(String normalized) {
        if (normalized == null || normalized.isEmpty() || !normalized.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse("+" + normalized, "ZZ");
            return Optional.of(new Parts(Integer.toString(number.getCountryCode()), UTIL.getNationalSignificantNumber(number)));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether libphonenumber knows the ISO 3166 region (case-insensitive), e.g. "US", "GB". */
    public static boolean isSupportedRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.strip().toUpperCase(java.util.Locale.ROOT));
    }
}
