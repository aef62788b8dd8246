package io.touchpoint.core.consent;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The consent an event carries: Google Consent Mode v2's four signals, each granted, denied or unknown, as the
 * visitor or sender chose them with the workspace's default filling the rest ({@code defaulted} says whether it
 * filled any); the visitor's {@code region} (ISO 3166 country, optionally {@code -subdivision}) when known; and
 * whether the workspace restricts processing there ({@code limitedDataUse}, Meta's and TikTok's Limited Data Use).
 */
public record Consent(
        @JsonProperty("ad_storage") ConsentState adStorage,
        @JsonProperty("analytics_storage") ConsentState analyticsStorage,
        @JsonProperty("ad_user_data") ConsentState adUserData,
        @JsonProperty("ad_personalization") ConsentState adPersonalization,
        @JsonProperty("region") String region,
        @JsonProperty("defaulted") boolean defaulted,
        @JsonProperty("limited_data_use") boolean limitedDataUse) {

    public static final String AD_STORAGE = "ad_storage";
    public static final String ANALYTICS_STORAGE = "analytics_storage";
    public static final String AD_USER_DATA = "ad_user_data";
    public static final String AD_PERSONALIZATION = "ad_personalization";
    /** The four signals as the wire names them, in Google's order. */
    public static final List<String> SIGNALS = List.of(AD_STORAGE, ANALYTICS_STORAGE, AD_USER_DATA, AD_PERSONALIZATION);
    public static final Consent UNKNOWN = of(Map.of());

    public Consent {
        adStorage = orUnknown(adStorage);
        analyticsStorage = orUnknown(analyticsStorage);
        adUserData = orUnknown(adUserData);
        adPersonalization = orUnknown(adPersonalization);
    }

    /** The signals named in {@code states} (by their wire names), the others unknown; no region. */
    public static Consent of(Map<String, ConsentState> states) {
        return new Consent(states.get(AD_STORAGE), states.get(ANALYTICS_STORAGE), states.get(AD_USER_DATA),
                states.get(AD_PERSONALIZATION), null, false, false);
    }

    /** The same signals for a visitor of {@code region} (null when unknown). */
    public Consent withRegion(String region) {
        return new Consent(adStorage, analyticsStorage, adUserData, adPersonalization, region, defaulted, limitedDataUse);
    }

    /** A signal's state by its wire name. */
    public ConsentState state(String signal) {
        return switch (signal) {
            case AD_STORAGE -> adStorage;
            case ANALYTICS_STORAGE -> analyticsStorage;
            case AD_USER_DATA -> adUserData;
            case AD_PERSONALIZATION -> adPersonalization;
            default -> throw new IllegalArgumentException("no consent signal '" + signal + "'");
        };
    }

    /** The same with each signal replaced by {@code f} of its wire name and state. */
    Consent map(Function<String, ConsentState> f, String region, boolean defaulted, boolean limitedDataUse) {
        return new Consent(f.apply(AD_STORAGE), f.apply(ANALYTICS_STORAGE), f.apply(AD_USER_DATA),
                f.apply(AD_PERSONALIZATION), region, defaulted, limitedDataUse);
    }

    /** Whether the visitor's data may go to an ad platform: not when {@code ad_user_data} is denied. */
    public boolean allowsAdUserData() {
        return adUserData != ConsentState.DENIED;
    }

    /** Whether the event may go to an analytics destination: not when {@code analytics_storage} is denied. */
    public boolean allowsAnalytics() {
        return analyticsStorage != ConsentState.DENIED;
    }

    private static ConsentState orUnknown(ConsentState s) {
        return s == null ? ConsentState.UNKNOWN : s;
    }
}
