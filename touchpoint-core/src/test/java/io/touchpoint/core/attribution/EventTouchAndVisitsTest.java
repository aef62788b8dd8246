package io.touchpoint.core.attribution;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.touchpoint.Channel;
import io.touchpoint.core.touchpoint.EventTouch;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.core.touchpoint.Touchpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which events are touchpoints and when a page view continues the visit in progress. */
class EventTouchAndVisitsTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static Event event(String name, String url, String referrer, Campaign campaign, Identifier... ids) {
        return new Event("evt_1", "ws", Source.COMETLY, "req", T, T, name, List.of(ids), null,
                new Context(null, null, url, referrer, campaign, null), null, null, false, null, "{}");
    }

    @Test
    void aPageViewWithoutSignalIsADirectVisitAndAServerEventWithoutSignalIsNoTouchpoint() {
        EventTouch view = EventTouch.of(event("page_view", "https://shop.io/", null, null)).orElseThrow();
        assertThat(view.signal()).isFalse();
        assertThat(view.touchpoint().channel()).isEqualTo(Channel.DIRECT);
        assertThat(EventTouch.of(event("purchase", "https://shop.io/checkout", null, null))).isEmpty();
    }

    @Test
    void clickIdsAndUtmFieldsOfTheEventsPageUrlCount() {
        EventTouch t = EventTouch.of(event("purchase", "https://shop.io/?utm_source=google&utm_medium=cpc&utm_campaign=brand%20x&gclid=G1",
                null, null)).orElseThrow();
        assertThat(t.signal()).isTrue();
        assertThat(t.touchpoint().channel()).isEqualTo(Channel.PAID_SEARCH);
        assertThat(t.touchpoint().platform()).isEqualTo(Platform.GOOGLE);
        assertThat(t.touchpoint().campaign()).isEqualTo("brand x");
        assertThat(t.touchpoint().clickId()).isEqualTo("G1");
        // a click id among the identifiers, and comet_* fields, are signals of a server event too
        assertThat(EventTouch.of(event("lead_generated", null, null, null, new Identifier(IdentifierType.FBCLID, "F")))
                .orElseThrow().touchpoint().platform()).isEqualTo(Platform.META);
        Campaign comet = new Campaign("facebook", null, "spring", null, null, null, null, null, null, null, null);
        assertThat(EventTouch.of(event("lead_generated", null, null, comet)).orElseThrow().touchpoint().campaign()).isEqualTo("spring");
        // a page URL that is not a URI says nothing
        assertThat(EventTouch.of(event("purchase", "not a url %%", null, null))).isEmpty();
    }

    private static StoredTouch stored(Touchpoint t, Instant start, Instant lastSeen) {
        return new StoredTouch(1, start, lastSeen, t);
    }

    @Test
    void aVisitContinuesWithoutSignalOrWithTheSameSignalUntilTheTimeout() {
        Duration timeout = Duration.ofMinutes(30);
        EventTouch google = EventTouch.of(event("page_view", "https://shop.io/?gclid=G1", null, null)).orElseThrow();
        EventTouch meta = EventTouch.of(event("page_view", "https://shop.io/?fbclid=F1", null, null)).orElseThrow();
        EventTouch plain = EventTouch.of(event("page_view", "https://shop.io/about", null, null)).orElseThrow();
        StoredTouch visit = stored(google.touchpoint(), T, T.plus(Duration.ofMinutes(10)));

        assertThat(Visits.continues(null, T, plain, timeout)).isFalse();
        assertThat(Visits.continues(visit, T.plus(Duration.ofMinutes(39)), plain, timeout)).isTrue();
        assertThat(Visits.continues(visit, T.plus(Duration.ofMinutes(41)), plain, timeout)).isFalse();
        assertThat(Visits.continues(visit, T.plus(Duration.ofMinutes(20)), google, timeout)).isTrue(); // a reload
        assertThat(Visits.continues(visit, T.plus(Duration.ofMinutes(20)), meta, timeout)).isFalse(); // another campaign
        assertThat(Visits.continues(visit, T.minus(Duration.ofMinutes(1)), plain, timeout)).isFalse(); // late, before it
    }

    @Test
    void settingsAreValidatedAndTheDefaultConversionRuleLeavesOutVisits() {
        AttributionSettings d = AttributionSettings.DEFAULTS;
        assertThat(d.isConversion("purchase")).isTrue();
        assertThat(d.isConversion("custom_event_3")).isTrue();
        assertThat(d.isConversion("page_view")).isFalse();
        assertThat(d.isConversion("identify")).isFalse();
        assertThat(new AttributionSettings(30, 7, List.of("purchase"), 30).isConversion("lead_generated")).isFalse();
        for (Runnable bad : List.<Runnable>of(() -> new AttributionSettings(0, 7, null, 30),
                () -> new AttributionSettings(91, 7, null, 30), () -> new AttributionSettings(30, 0, null, 30),
                () -> new AttributionSettings(30, 7, List.of("buy"), 30), () -> new AttributionSettings(30, 7, null, 0))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aConversionsPathIsItsTouchpointsInsideTheWindowOldestFirstOrADirectStandIn() {
        Touchpoint g = EventTouch.of(event("page_view", "https://shop.io/?gclid=G1", null, null)).orElseThrow().touchpoint();
        Touchpoint m = EventTouch.of(event("page_view", "https://shop.io/?fbclid=F1", null, null)).orElseThrow().touchpoint();
        AttributionSettings s = new AttributionSettings(7, 7, null, 30);
        Instant conv = T.plus(Duration.ofDays(10));
        List<StoredTouch> touches = List.of(
                new StoredTouch(3, T.plus(Duration.ofDays(9)), null, m),
                new StoredTouch(2, T.plus(Duration.ofDays(9)), null, g), // a tie in time: the lower id first
                new StoredTouch(1, T.plus(Duration.ofDays(2)), null, g), // 8 days before: outside the window
                new StoredTouch(4, T.plus(Duration.ofDays(11)), null, m)); // after the conversion
        ConversionCredits c = ConversionCredits.compute(conv, touches, s);
        assertThat(c.path()).extracting(StoredTouch::id).containsExactly(2L, 3L);
        assertThat(c.credits().get(io.touchpoint.core.attribution.models.AttributionModel.LINEAR)).containsExactly(0.5, 0.5);
        ConversionCredits none = ConversionCredits.compute(T, touches, s);
        assertThat(none.path()).singleElement().satisfies(t -> {
            assertThat(t.id()).isZero();
            assertThat(t.direct()).isTrue();
        });
    }
}
