package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.touchpoint.Platform;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a routed event is sent to a destination, or recorded as skipped and why. A skip is final (a replay by
 * event id can still send it): retrying would not change the answer.
 */
public final class DeliveryRules {
    public static final String DO_NOT_FORWARD = "do_not_forward";
    public static final String TEST_EVENT = "test_event";
    public static final String NOT_ATTRIBUTED = "not_attributed";
    public static final String TOO_OLD = "too_old";
    public static final String NO_CLICK_ID = "no_click_id";
    /** The visitor denied ad_user_data: nothing of theirs goes to an ad platform. */
    public static final String NO_AD_USER_DATA_CONSENT = "no_ad_user_data_consent";
    /** The visitor denied analytics_storage: nothing of theirs goes to an analytics destination. */
    public static final String NO_ANALYTICS_CONSENT = "no_analytics_consent";

    private DeliveryRules() {
    }

    /** The key the platform deduplicates the event on: the sender's idempotency key, else the Touchpoint id. */
    public static String dedupKey(Event event) {
        return event.idempotencyKey() != null && !event.idempotencyKey().isBlank() ? event.idempotencyKey() : event.id();
    }

    /**
     * @param enriched the event as it would be sent
     * @param credits  the conversion's credit per platform under the destination's model (for attributed mode)
     * @return the reason to skip, or empty to send
     */
    public static Optional<String> skipReason(Destination d, Event enriched, Map<Platform, Double> credits, Instant now) {
        Optional<String> never = sendTimeReason(d, enriched, now);
        if (never.isPresent()) return never;
        if (d.mode() == DeliveryMode.ATTRIBUTED && credits.getOrDefault(d.type().platform(), 0d) <= 0) {
            return Optional.of(NOT_ATTRIBUTED);
        }
        return Optional.empty();
    }

    /**
     * The reasons checked again before every send, replays included: what must never be sent (the sender's
     * do_not_capi, test events, what the visitor's consent forbids), and what can arise while an entry waits (age,
     * nothing the platform matches on). A webhook is the workspace's own system: it receives the consent with the event.
     */
    public static Optional<String> sendTimeReason(Destination d, Event event, Instant now) {
        if (event.doNotForward()) return Optional.of(DO_NOT_FORWARD);
        if (EventNames.TEST_EVENT.equals(event.name())) return Optional.of(TEST_EVENT);
        if (d.type().isAdPlatform() && !event.consent().allowsAdUserData()) return Optional.of(NO_AD_USER_DATA_CONSENT);
        if (d.type() == DestinationType.GA4 && !event.consent().allowsAnalytics()) return Optional.of(NO_ANALYTICS_CONSENT);
        if (d.type().maxAge() != null && event.eventTime().isBefore(now.minus(d.type().maxAge()))) {
            return Optional.of(TOO_OLD);
        }
        if (d.type() == DestinationType.GOOGLE_ADS && event.identifier(IdentifierType.GCLID) == null
                && event.identifier(IdentifierType.GBRAID) == null && event.identifier(IdentifierType.WBRAID) == null) {
            return Optional.of(NO_CLICK_ID);
        }
        return Optional.empty();
    }
}
