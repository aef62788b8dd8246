package io.touchpoint.core.model;

import io.touchpoint.core.consent.ConsentSettings;

import java.time.ZoneId;
import java.util.Currency;
import java.util.Objects;

/**
 * Per-workspace settings. {@code phoneRegion} is the ISO 3166 region assumed for phone numbers sent
 * without a country code; {@code rateLimitPerMinute} caps ingest requests per minute; {@code consent} is the
 * default for visitors who have not chosen and where processing is restricted.
 */
public record WorkspaceSettings(String timeZone, String currency, String phoneRegion, int rateLimitPerMinute,
                                ConsentSettings consent) {
    public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 1_200_000;
    public static final WorkspaceSettings DEFAULTS = new WorkspaceSettings("UTC", "USD", "US", DEFAULT_RATE_LIMIT_PER_MINUTE);

    public WorkspaceSettings {
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(phoneRegion, "phoneRegion");
        ZoneId.of(timeZone); // throws on an unknown zone
        if (!io.touchpoint.core.normalize.Phones.isSupportedRegion(phoneRegion)) {
            throw new IllegalArgumentException("unknown phone region '" + phoneRegion + "'; use an ISO 3166 code such as US");
        }
        Currency.getInstance(currency); // throws on a code that is not ISO 4217
        if (rateLimitPerMinute < 1) throw new IllegalArgumentException("rate limit must be at least 1 per minute");
        consent = consent == null ? ConsentSettings.DEFAULTS : consent;
    }

    /** Settings with the default consent rules. */
    public WorkspaceSettings(String timeZone, String currency, String phoneRegion, int rateLimitPerMinute) {
        this(timeZone, currency, phoneRegion, rateLimitPerMinute, ConsentSettings.DEFAULTS);
    }
}
