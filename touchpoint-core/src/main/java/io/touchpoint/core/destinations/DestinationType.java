package io.touchpoint.core.destinations;

import io.touchpoint.core.touchpoint.Platform;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The platforms Touchpoint sends conversions to. Each names its settings (the secret ones are sealed at rest and
 * never shown), the most events one request may carry, how old an event may be when sent, and how far back a
 * profile's browser visits still count for enrichment (the platform's click window).
 */
public enum DestinationType {
    META(Platform.META, List.of("pixel_id"), List.of("access_token"), List.of("test_event_code", "action_source"),
            1000, Duration.ofDays(7), Duration.ofDays(7)),
    GOOGLE_ADS(Platform.GOOGLE, List.of("customer_id", "conversion_action", "client_id"),
            List.of("developer_token", "client_secret", "refresh_token"), List.of("login_customer_id"),
            2000, Duration.ofDays(90), Duration.ofDays(90)),
    TIKTOK(Platform.TIKTOK, List.of("pixel_code"), List.of("access_token"), List.of("test_event_code"),
            1000, Duration.ofDays(7), Duration.ofDays(28)),
    GA4(Platform.NONE, List.of("measurement_id"), List.of("api_secret"), List.of("send_user_id"),
            25, Duration.ofHours(72), Duration.ofDays(30)),
    WEBHOOK(Platform.NONE, List.of("url"), List.of("secret"), List.of(), 1, null, Duration.ofDays(90));

    private final Platform platform;
    private final List<String> required;
    private final List<String> secrets;
    private final List<String> optional;
    private final int maxBatch;
    private final Duration maxAge;
    private final Duration clickWindow;

    DestinationType(Platform platform, List<String> required, List<String> secrets, List<String> optional,
                    int maxBatch, Duration maxAge, Duration clickWindow) {
        this.platform = platform;
        this.required = required;
        this.secrets = secrets;
        this.optional = optional;
        this.maxBatch = maxBatch;
        this.maxAge = maxAge;
        this.clickWindow = clickWindow;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DestinationType> fromWireName(String name) {
        for (DestinationType t : values()) {
            if (t.wireName().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** The ad platform whose credit decides "attributed" mode; {@link Platform#NONE} where that mode does not apply. */
    public Platform platform() {
        return platform;
    }

    /** Whether it is an advertising platform, which the visitor's {@code ad_user_data} consent must allow. */
    public boolean isAdPlatform() {
        return platform != Platform.NONE;
    }

    /** Plain settings that must be present. */
    public List<String> requiredSettings() {
        return required;
    }

    /** Secret settings: required (a webhook's secret is generated when not given), sealed at rest, never returned. */
    public List<String> secretSettings() {
        return secrets;
    }

    public List<String> optionalSettings() {
        return optional;
    }

    /** The most events one request to the platform may carry. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Events older than this are not sent (the platform refuses them); null: no limit. */
    public Duration maxAge() {
        return maxAge;
    }

    /** How long after a browser visit its click ids and cookies still enrich a conversion. */
    public Duration clickWindow() {
        return clickWindow;
    }
}
