package io.touchpoint.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Edge cases of the canonical names; the full accepted list is exercised through CometlyMapperTest. */
class EventNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"purchase", "webinar_registration", "custom_event_1", "custom_event_9", "custom_event_10",
            "custom_event_50", "page_view", "add_to_wishlist", "customize_product", "donate", "find_location", "search"})
    void canonicalNames(String name) {
        assertThat(EventNames.isCanonical(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Purchase", "PURCHASE", " purchase", "purchase ", "purchases", "custom_event_0",
            "custom_event_00", "custom_event_01", "custom_event_51", "custom_event_99", "custom_event_100",
            "custom_event_", "custom_event_1a", "custom_event_-1", "Custom_Event_1", "custom-event-1", ""})
    void otherNamesAreNotCanonical(String name) {
        assertThat(EventNames.isCanonical(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"page_view", "add_to_wishlist", "customize_product", "donate", "find_location", "search"})
    void pageViewsAndMetaOnlyNamesAreCanonicalButNotCometlyNames(String name) {
        assertThat(EventNames.isCanonical(name)).isTrue();
        assertThat(EventNames.isCometlyName(name)).isFalse();
    }

    @Test
    void describeCanonicalListsEveryCanonicalName() {
        assertThat(EventNames.describeCanonical()).isEqualTo("page_view, lead_generated, view_content, schedule, "
                + "purchase, subscribe, add_to_cart, contact, initiate_checkout, add_payment_info, complete_registration, "
                + "start_trial, sign_up, submit_application, webinar_registration, add_to_wishlist, customize_product, "
                + "donate, find_location, search, custom_event_1 … custom_event_50");
    }

    @Test
    void nullIsNotCanonical() {
        assertThat(EventNames.isCanonical(null)).isFalse();
    }

    @Test
    void theStandardListIsSpecsFourteenNames() {
        assertThat(EventNames.STANDARD).containsExactly("lead_generated", "view_content", "schedule", "purchase",
                "subscribe", "add_to_cart", "contact", "initiate_checkout", "add_payment_info",
                "complete_registration", "start_trial", "sign_up", "submit_application", "webinar_registration");
    }

    @ParameterizedTest
    @CsvSource({"Purchase, purchase", "PURCHASE, purchase", "AddToCart, add_to_cart", "add-to-cart, add_to_cart",
            "Lead Generated, lead_generated", "' sign_up ', sign_up", "Custom Event 7, custom_event_7"})
    void suggestFindsTheNameProbablyMeant(String sent, String meant) {
        assertThat(EventNames.suggest(sent)).contains(meant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"signup", "buy", "custom_event_51", "Custom Event 0", "CustomEvent7"})
    void suggestOffersNothingWhenNothingFits(String sent) {
        assertThat(EventNames.suggest(sent)).isEmpty();
    }

    @Test
    void describeAcceptedListsEveryStandardNameAndTheCustomRange() {
        assertThat(EventNames.describeAccepted()).isEqualTo("lead_generated, view_content, schedule, purchase, "
                + "subscribe, add_to_cart, contact, initiate_checkout, add_payment_info, complete_registration, "
                + "start_trial, sign_up, submit_application, webinar_registration, custom_event_1 … custom_event_50");
    }
}
