package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.touchpoint.Platform;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryRulesTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    static Destination destination(DestinationType type, DeliveryMode mode) {
        return new Destination("dst_1", "ws_1", type, "d", Map.of(), "sealed", null, null, mode, null, null, true, NOW, NOW);
    }

    static Event event(String name, Instant at, boolean doNotForward, String idempotencyKey, Identifier... ids) {
        return new Event("evt_1", "ws_1", Source.COMETLY, "req_1", at, at, name, List.of(ids), null, null, null,
                idempotencyKey, doNotForward, null, "{}");
    }

    @Test
    void skipsWhatMustNeverBeSentAndSaysWhy() {
        Identifier email = new Identifier(IdentifierType.EMAIL, "jo@x.co");
        Destination meta = destination(DestinationType.META, DeliveryMode.ALL);
        assertThat(DeliveryRules.skipReason(meta, event("purchase", NOW, true, null, email), Map.of(), NOW)).contains("do_not_forward");
        assertThat(DeliveryRules.skipReason(meta, event("test_event", NOW, false, null, email), Map.of(), NOW)).contains("test_event");
        assertThat(DeliveryRules.skipReason(meta, event("purchase", NOW.minus(Duration.ofDays(8)), false, null, email), Map.of(), NOW))
                .contains("too_old");
        assertThat(DeliveryRules.skipReason(meta, event("purchase", NOW.minus(Duration.ofDays(6)), false, null, email), Map.of(), NOW))
                .isEmpty();
        Destination google = destination(DestinationType.GOOGLE_ADS, DeliveryMode.ALL);
        assertThat(DeliveryRules.skipReason(google, event("purchase", NOW, false, null, email), Map.of(), NOW)).contains("no_click_id");
        assertThat(DeliveryRules.skipReason(google, event("purchase", NOW, false, null, email,
                new Identifier(IdentifierType.GBRAID, "g")), Map.of(), NOW)).isEmpty();
        Destination webhook = destination(DestinationType.WEBHOOK, DeliveryMode.ALL);
        assertThat(DeliveryRules.skipReason(webhook, event("purchase", NOW.minus(Duration.ofDays(300)), false, null, email), Map.of(), NOW))
                .as("a webhook takes events of any age").isEmpty();
    }

    @Test
    void attributedModeNeedsCreditOnTheDestinationsPlatform() {
        Destination meta = destination(DestinationType.META, DeliveryMode.ATTRIBUTED);
        Event e = event("purchase", NOW, false, null, new Identifier(IdentifierType.EMAIL, "jo@x.co"));
        assertThat(DeliveryRules.skipReason(meta, e, Map.of(), NOW)).contains("not_attributed");
        assertThat(DeliveryRules.skipReason(meta, e, Map.of(Platform.GOOGLE, 1.0, Platform.META, 0.0), NOW)).contains("not_attributed");
        assertThat(DeliveryRules.skipReason(meta, e, Map.of(Platform.GOOGLE, 0.5, Platform.META, 0.5), NOW)).isEqualTo(Optional.empty());
    }

    @Test
    void theDedupKeyIsTheIdempotencyKeyElseTheEventId() {
        assertThat(DeliveryRules.dedupKey(event("purchase", NOW, false, "order-77"))).isEqualTo("order-77");
        assertThat(DeliveryRules.dedupKey(event("purchase", NOW, false, null))).isEqualTo("evt_1");
        assertThat(DeliveryRules.dedupKey(event("purchase", NOW, false, " "))).isEqualTo("evt_1");
    }

    @Test
    void aDestinationTakesItsListedEventsOrEveryConversion() {
        Destination all = destination(DestinationType.META, DeliveryMode.ALL);
        assertThat(all.takes("purchase", true)).isTrue();
        assertThat(all.takes("page_view", false)).isFalse();
        Destination listed = new Destination("dst_2", "ws_1", DestinationType.META, "d", Map.of(), "s", List.of("lead_generated"),
                null, null, null, null, true, NOW, NOW);
        assertThat(listed.takes("lead_generated", false)).isTrue();
        assertThat(listed.takes("purchase", true)).isFalse();
    }
}
