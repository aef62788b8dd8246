package io.touchpoint.core.destinations;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Event;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.consent.ConsentState.DENIED;
import static io.touchpoint.core.consent.ConsentState.GRANTED;
import static io.touchpoint.core.destinations.SampleEntries.TIME;
import static io.touchpoint.core.destinations.SampleEntries.destination;
import static io.touchpoint.core.destinations.SampleEntries.entry;
import static io.touchpoint.core.destinations.SampleEntries.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** What each destination does with an event's consent: skipped, or sent with the platform's consent fields. */
class ConsentDeliveryTest {
    private static final Destination META = destination(DestinationType.META, Map.of("pixel_id", "123"));
    private static final Destination ADS = destination(DestinationType.GOOGLE_ADS, Map.of("customer_id",
            "123-456-7890", "conversion_action", "987", "client_id", "c"));
    private static final Destination TIKTOK = destination(DestinationType.TIKTOK, Map.of("pixel_code", "P"));
    private static final Destination GA4 = destination(DestinationType.GA4, Map.of("measurement_id", "G-TEST"));
    private static final Destination WEBHOOK = destination(DestinationType.WEBHOOK, Map.of("url", "https://x.example/"));

    private static Consent consent(ConsentState adUserData, ConsentState adPersonalization, ConsentState analytics) {
        return Consent.of(Map.of(Consent.AD_STORAGE, GRANTED, Consent.ANALYTICS_STORAGE, analytics,
                Consent.AD_USER_DATA, adUserData, Consent.AD_PERSONALIZATION, adPersonalization));
    }

    private static Event purchaseWith(Consent c) {
        return purchase().withConsent(c);
    }

    @Test
    void noAdPlatformReceivesAnEventWithoutAdUserDataAndNoAnalyticsDestinationOneWithoutAnalyticsStorage() {
        Instant now = TIME;
        Event denied = purchaseWith(consent(DENIED, DENIED, GRANTED));
        for (Destination d : List.of(META, ADS, TIKTOK)) {
            assertThat(DeliveryRules.sendTimeReason(d, denied, now)).as(d.type().wireName())
                    .contains(DeliveryRules.NO_AD_USER_DATA_CONSENT);
        }
        assertThat(DeliveryRules.sendTimeReason(GA4, denied, now)).isEmpty();
        assertThat(DeliveryRules.sendTimeReason(WEBHOOK, denied, now)).as("the workspace's own system").isEmpty();
        Event noAnalytics = purchaseWith(consent(GRANTED, GRANTED, DENIED));
        assertThat(DeliveryRules.sendTimeReason(GA4, noAnalytics, now)).contains(DeliveryRules.NO_ANALYTICS_CONSENT);
        assertThat(DeliveryRules.sendTimeReason(META, noAnalytics, now)).isEmpty();
        // an event from before consent was recorded is sent as it was then
        assertThat(DeliveryRules.sendTimeReason(META, purchase(), now)).isEmpty();
        assertThat(DeliveryRules.sendTimeReason(GA4, purchase(), now)).isEmpty();
    }

    @Test
    void googleAdsCarriesEachSignalAsAConsentStatus() {
        Map<String, Object> granted = GoogleAdsConversions.conversion("a", entry(purchaseWith(consent(GRANTED, DENIED, GRANTED))));
        assertThat(granted.get("consent")).isEqualTo(Map.of("adUserData", "GRANTED", "adPersonalization", "DENIED"));
        Map<String, Object> partly = GoogleAdsConversions.conversion("a", entry(purchaseWith(
                Consent.of(Map.of(Consent.AD_USER_DATA, GRANTED)))));
        assertThat(partly.get("consent")).isEqualTo(Map.of("adUserData", "GRANTED", "adPersonalization", "UNSPECIFIED"));
        assertThat(GoogleAdsConversions.conversion("a", entry(purchase()))).as("stored before consent was recorded")
                .doesNotContainKey("consent");
    }

    @Test
    void ga4CarriesTheKnownSignals() {
        assertThat(Ga4Events.request(GA4, entry(purchaseWith(consent(GRANTED, DENIED, GRANTED)))).get("consent"))
                .isEqualTo(Map.of("ad_user_data", "GRANTED", "ad_personalization", "DENIED"));
        assertThat(Ga4Events.request(GA4, entry(purchase()))).doesNotContainKey("consent");
    }

    @Test
    void limitedDataUseGoesToMetaWithItsPlaceCodesAndToTikTokAsItsFlag() {
        Consent ca = new Consent(GRANTED, GRANTED, GRANTED, GRANTED, "US-CA", false, true);
        Map<String, Object> meta = MetaEvents.event(META, entry(purchaseWith(ca)));
        assertThat(meta).containsEntry("data_processing_options", List.of("LDU"))
                .containsEntry("data_processing_options_country", 1).containsEntry("data_processing_options_state", 1000);
        Consent unknownPlace = new Consent(GRANTED, GRANTED, GRANTED, GRANTED, null, false, true);
        assertThat(MetaEvents.event(META, entry(purchaseWith(unknownPlace))))
                .as("Meta geolocates").containsEntry("data_processing_options_country", 0)
                .containsEntry("data_processing_options_state", 0);
        Consent free = new Consent(GRANTED, GRANTED, GRANTED, GRANTED, "US-NY", false, false);
        assertThat(MetaEvents.event(META, entry(purchaseWith(free)))).doesNotContainKey("data_processing_options");

        assertThat(TikTokEvents.event(TIKTOK, entry(purchaseWith(ca)))).containsEntry("limited_data_use", true);
        assertThat(TikTokEvents.event(TIKTOK, entry(purchaseWith(free)))).doesNotContainKey("limited_data_use");
    }

    @Test
    void enrichmentKeepsTheConversionsConsent() {
        Consent c = consent(GRANTED, DENIED, GRANTED).withRegion("DE");
        Event enriched = Enrichment.enrich(purchaseWith(c), List.of(), java.time.Duration.ofDays(7)).event();
        assertThat(enriched.consent()).isEqualTo(c);
    }
}
