package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnrichmentTest {
    static final Instant T = Instant.parse("2026-11-20T12:00:00Z");

    static Event event(String id, Source source, Instant at, String name, Context context, Identifier... ids) {
        return new Event(id, "ws_1", source, "req_" + id, at, at, name, List.of(ids), null, context, null, null, false, null, "{}");
    }

    static Context browser(String url) {
        return new Context("198.51.100.9", "Mozilla/5.0 (iPhone)", url, null, null, null);
    }

    @Test
    void aServerPurchaseWithOnlyAnEmailGetsTheBrowsersClickIdsCookiesAddressAndLandingPage() {
        Event purchase = event("evt_p", Source.COMETLY, T, "purchase", null, new Identifier(IdentifierType.EMAIL, "jo@x.co"));
        Event landing = event("evt_l", Source.PIXEL, T.minus(Duration.ofDays(2)), "page_view", browser("https://shop.example/?fbclid=abc"),
                new Identifier(IdentifierType.FBCLID, "abc"), new Identifier(IdentifierType.FBC, "fb.1.1700000000000.abc"),
                new Identifier(IdentifierType.FBP, "fb.1.1700000000000.123"));
        Event later = event("evt_v", Source.PIXEL, T.minus(Duration.ofHours(1)), "page_view", browser("https://shop.example/cart"),
                new Identifier(IdentifierType.FBP, "fb.1.1700000000000.123"));
        Event form = event("evt_f", Source.PIXEL, T.minus(Duration.ofHours(2)), "lead_generated", browser("https://shop.example/form"),
                new Identifier(IdentifierType.PHONE, "16505551212"));

        Enrichment.Enriched e = Enrichment.enrich(purchase, List.of(purchase, later, form, landing), Duration.ofDays(7));

        assertThat(e.event().identifier(IdentifierType.FBC)).isEqualTo("fb.1.1700000000000.abc");
        assertThat(e.event().identifier(IdentifierType.FBP)).isEqualTo("fb.1.1700000000000.123");
        assertThat(e.event().identifier(IdentifierType.PHONE)).isEqualTo("16505551212");
        assertThat(e.event().person().phone()).isEqualTo("16505551212");
        assertThat(e.event().context().ip()).isEqualTo("198.51.100.9");
        assertThat(e.event().context().userAgent()).isEqualTo("Mozilla/5.0 (iPhone)");
        assertThat(e.event().context().pageUrl()).as("the landing page of the click").isEqualTo("https://shop.example/?fbclid=abc");
        assertThat(e.fields()).containsEntry("email", "event").containsEntry("fbc", "profile").containsEntry("fbp", "profile")
                .containsEntry("phone", "profile").containsEntry("ip", "profile").containsEntry("user_agent", "profile")
                .containsEntry("page_url", "profile");
    }

    @Test
    void theEventsOwnValuesWinAndClicksOutsideTheWindowAreLeftOut() {
        Event purchase = event("evt_p", Source.COMETLY, T, "purchase", new Context("203.0.113.1", "curl", null, null, null, null),
                new Identifier(IdentifierType.EMAIL, "jo@x.co"), new Identifier(IdentifierType.FBP, "fb.1.1.own"));
        Event oldClick = event("evt_o", Source.PIXEL, T.minus(Duration.ofDays(9)), "page_view", browser("https://shop.example/"),
                new Identifier(IdentifierType.GCLID, "old"), new Identifier(IdentifierType.FBP, "fb.1.1.other"),
                new Identifier(IdentifierType.EMAIL, "old@x.co"));

        Enrichment.Enriched e = Enrichment.enrich(purchase, List.of(oldClick), Duration.ofDays(7));

        assertThat(e.event().identifier(IdentifierType.GCLID)).isNull();
        assertThat(e.event().identifier(IdentifierType.FBP)).isEqualTo("fb.1.1.own");
        assertThat(e.event().context().ip()).isEqualTo("203.0.113.1");
        assertThat(e.event().context().userAgent()).isEqualTo("curl");
        assertThat(e.fields()).containsEntry("fbp", "event").containsEntry("ip", "event").doesNotContainKey("gclid")
                .doesNotContainKey("page_url");
        assertThat(e.event().identifiers()).filteredOn(i -> i.type() == IdentifierType.EMAIL).hasSize(1);
    }

    @Test
    void eventsAfterTheConversionAreNotUsed() {
        Event purchase = event("evt_p", Source.COMETLY, T, "purchase", null, new Identifier(IdentifierType.EMAIL, "jo@x.co"));
        Event after = event("evt_a", Source.PIXEL, T.plusSeconds(60), "page_view", browser("https://shop.example/thanks"),
                new Identifier(IdentifierType.TTCLID, "later"));
        Enrichment.Enriched e = Enrichment.enrich(purchase, List.of(after), Duration.ofDays(28));
        assertThat(e.event().identifier(IdentifierType.TTCLID)).isNull();
        assertThat(e.fields()).isEqualTo(Map.of("email", "event"));
    }
}
