package io.touchpoint.core.destinations;

import io.touchpoint.core.model.EventNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformEventNamesTest {

    @ParameterizedTest(name = "{0}: {1} → meta {2}, tiktok {3}, ga4 {4}")
    @CsvSource({
            "purchase,              Purchase,             CompletePayment,      purchase",
            "lead_generated,        Lead,                 SubmitForm,           generate_lead",
            "add_to_cart,           AddToCart,            AddToCart,            add_to_cart",
            "initiate_checkout,     InitiateCheckout,     InitiateCheckout,     begin_checkout",
            "add_payment_info,      AddPaymentInfo,       AddPaymentInfo,       add_payment_info",
            "complete_registration, CompleteRegistration, CompleteRegistration, sign_up",
            "sign_up,               CompleteRegistration, CompleteRegistration, sign_up",
            "webinar_registration,  CompleteRegistration, CompleteRegistration, webinar_registration",
            "view_content,          ViewContent,          ViewContent,          view_item",
            "schedule,              Schedule,             Schedule,             schedule",
            "subscribe,             Subscribe,            Subscribe,            subscribe",
            "start_trial,           StartTrial,           StartTrial,           start_trial",
            "submit_application,    SubmitApplication,    SubmitApplication,    submit_application",
            "contact,               Contact,              Contact,              contact",
            "page_view,             PageView,             page_view,            page_view",
            "add_to_wishlist,       AddToWishlist,        AddToWishlist,        add_to_wishlist",
            "customize_product,     CustomizeProduct,     CustomizeProduct,     customize_product",
            "donate,                Donate,               donate,               donate",
            "find_location,         FindLocation,         FindLocation,         find_location",
            "search,                Search,               Search,               search",
            "custom_event_7,        custom_event_7,       custom_event_7,       custom_event_7",
    })
    void defaults(String canonical, String meta, String tiktok, String ga4) {
        assertThat(PlatformEventNames.name(DestinationType.META, canonical, Map.of())).isEqualTo(meta);
        assertThat(PlatformEventNames.name(DestinationType.TIKTOK, canonical, Map.of())).isEqualTo(tiktok);
        assertThat(PlatformEventNames.name(DestinationType.GA4, canonical, Map.of())).isEqualTo(ga4);
        assertThat(PlatformEventNames.name(DestinationType.GOOGLE_ADS, canonical, Map.of())).isEqualTo(canonical);
        assertThat(PlatformEventNames.name(DestinationType.WEBHOOK, canonical, Map.of())).isEqualTo(canonical);
    }

    @Test
    void everyCanonicalNameHasADefaultForEveryPlatform() {
        for (String canonical : java.util.stream.Stream.concat(EventNames.STANDARD.stream(),
                EventNames.META_ONLY.stream()).toList()) {
            for (DestinationType type : DestinationType.values()) {
                assertThat(PlatformEventNames.name(type, canonical, null)).isNotBlank();
            }
        }
    }

    /** Every Meta standard event an Able webhook can name goes back to Meta under that very name. */
    @Test
    void everyAbleEventTypeGoesToMetaUnderItsOwnName() {
        io.touchpoint.core.ingest.AbleEventTypes.all().forEach((type, canonical) ->
                assertThat(PlatformEventNames.name(DestinationType.META, canonical, null)).as(type).isEqualTo(type));
    }

    /** GA4 takes only names of letters, digits and underscores: every canonical name is one as it stands. */
    @Test
    void everyGa4DefaultIsAValidGa4Name() {
        java.util.stream.Stream.concat(EventNames.STANDARD.stream(), EventNames.META_ONLY.stream()).forEach(n ->
                assertThat(Ga4Events.isValidEventName(PlatformEventNames.name(DestinationType.GA4, n, null))).as(n).isTrue());
    }

    @ParameterizedTest
    @EnumSource(DestinationType.class)
    void anOverrideWins(DestinationType type) {
        Map<String, String> overrides = Map.of("purchase", " OrderPlaced ", "lead_generated", "  ");
        assertThat(PlatformEventNames.name(type, "purchase", overrides)).isEqualTo("OrderPlaced");
        assertThat(PlatformEventNames.name(type, "lead_generated", overrides))
                .isEqualTo(PlatformEventNames.name(type, "lead_generated", null));
    }
}
