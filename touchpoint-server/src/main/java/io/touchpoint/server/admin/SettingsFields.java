package io.touchpoint.server.admin;

import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.normalize.Phones;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** A workspace's settings as a request body names them, for creating a workspace and for changing its settings. */
final class SettingsFields {
    static final String CONSENT_DEFAULT = "consent_default";
    static final String CONSENT_DENIED_REGIONS = "consent_denied_regions";
    static final String CONSENT_LIMITED_DATA_USE_REGIONS = "consent_limited_data_use_regions";

    private SettingsFields() {
    }

    /**
     * The settings a body names, each checked on its own so every error names its own field; a setting left
     * out keeps its value in {@code d}.
     */
    static WorkspaceSettings read(PayloadFields f, WorkspaceSettings d) {
        String tz = f.string("time_zone");
        if (tz != null && !ZoneId.getAvailableZoneIds().contains(tz)) {
            f.error("time_zone", FieldError.INVALID_VALUE, "time_zone must be an IANA time zone such as Europe/Paris");
            tz = null;
        }
        String currency = f.currency("currency");
        String region = f.string("phone_region");
        if (region != null && !Phones.isSupportedRegion(region)) {
            f.error("phone_region", FieldError.INVALID_VALUE, "phone_region must be an ISO 3166 region code such as US");
            region = null;
        }
        var limit = f.nonNegativeAmount("rate_limit_per_minute");
        if (limit != null && (limit.signum() <= 0 || limit.stripTrailingZeros().scale() > 0
                || limit.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            f.error("rate_limit_per_minute", FieldError.INVALID_VALUE, "rate_limit_per_minute must be a whole number from 1");
            limit = null;
        }
        return new WorkspaceSettings(tz == null ? d.timeZone() : tz, currency == null ? d.currency() : currency,
                region == null ? d.phoneRegion() : region.toUpperCase(Locale.ROOT),
                limit == null ? d.rateLimitPerMinute() : limit.intValueExact(), consent(f, d.consent()));
    }

    /** The consent settings a body names ({@code consent_default} and the two region lists), the rest kept from {@code d}. */
    private static ConsentSettings consent(PayloadFields f, ConsentSettings d) {
        String mode = f.string(CONSENT_DEFAULT);
        ConsentSettings.DefaultMode m = mode == null ? d.defaultMode()
                : ConsentSettings.DefaultMode.fromWireName(mode).orElse(null);
        if (m == null) {
            f.error(CONSENT_DEFAULT, FieldError.INVALID_VALUE, CONSENT_DEFAULT + " must be granted, denied or by_region");
            m = d.defaultMode();
        }
        List<String> denied = regions(f, CONSENT_DENIED_REGIONS, d.deniedRegions());
        List<String> limited = regions(f, CONSENT_LIMITED_DATA_USE_REGIONS, d.limitedDataUseRegions());
        return new ConsentSettings(m, denied, limited);
    }

    private static List<String> regions(PayloadFields f, String field, List<String> current) {
        List<String> given = f.strings(field);
        if (given == null) return current;
        try {
            return ConsentSettings.regions(given);
        } catch (IllegalArgumentException e) {
            f.error(field, FieldError.INVALID_VALUE, field + ": " + e.getMessage());
            return current;
        }
    }
}
