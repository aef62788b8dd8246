package io.touchpoint.core.destinations;

import java.util.Map;

/**
 * The name a platform knows a canonical event by: its standard event where one fits, so the platform can
 * optimise on it, else the canonical name itself (a custom event there). A destination's own mapping wins.
 * Google Ads has no event names (the configured conversion action says what converted) and a webhook receives
 * the canonical names.
 */
public final class PlatformEventNames {
    private static final Map<String, String> META = Map.ofEntries(
            Map.entry("purchase", "Purchase"),
            Map.entry("lead_generated", "Lead"),
            Map.entry("add_to_cart", "AddToCart"),
            Map.entry("initiate_checkout", "InitiateCheckout"),
            Map.entry("add_payment_info", "AddPaymentInfo"),
            Map.entry("complete_registration", "CompleteRegistration"),
            Map.entry("sign_up", "CompleteRegistration"),
            // signing up for a webinar is giving details in exchange for a service: Meta's CompleteRegistration
            Map.entry("webinar_registration", "CompleteRegistration"),
            Map.entry("view_content", "ViewContent"),
            Map.entry("schedule", "Schedule"),
            Map.entry("subscribe", "Subscribe"),
            Map.entry("start_trial", "StartTrial"),
            Map.entry("submit_application", "SubmitApplication"),
            Map.entry("contact", "Contact"),
            Map.entry("page_view", "PageView"),
            // Meta's standard events that Cometly has no name for (EventNames.META_ONLY) go back as they came
            Map.entry("add_to_wishlist", "AddToWishlist"),
            Map.entry("customize_product", "CustomizeProduct"),
            Map.entry("donate", "Donate"),
            Map.entry("find_location", "FindLocation"),
            Map.entry("search", "Search"));
    // TikTok's long-standing codes, which every pixel's reports know; its newer Purchase and Lead are a mapping away
    private static final Map<String, String> TIKTOK = Map.ofEntries(
            Map.entry("purchase", "CompletePayment"),
            Map.entry("lead_generated", "SubmitForm"),
            Map.entry("add_to_cart", "AddToCart"),
            Map.entry("initiate_checkout", "InitiateCheckout"),
            Map.entry("add_payment_info", "AddPaymentInfo"),
            Map.entry("complete_registration", "CompleteRegistration"),
            Map.entry("sign_up", "CompleteRegistration"),
            Map.entry("webinar_registration", "CompleteRegistration"),
            Map.entry("view_content", "ViewContent"),
            Map.entry("schedule", "Schedule"),
            Map.entry("subscribe", "Subscribe"),
            Map.entry("start_trial", "StartTrial"),
            Map.entry("submit_application", "SubmitApplication"),
            Map.entry("contact", "Contact"),
            // TikTok has standard events of the same names; none for donating, which stays a custom event "donate"
            Map.entry("add_to_wishlist", "AddToWishlist"),
            Map.entry("customize_product", "CustomizeProduct"),
            Map.entry("find_location", "FindLocation"),
            Map.entry("search", "Search"));
    // GA4's recommended events; every canonical name is also a valid GA4 event name as it stands
    // (add_to_wishlist and search are recommended events under those very names; donate, customize_product and
    // find_location have none and go as custom events of their canonical names)
    private static final Map<String, String> GA4 = Map.ofEntries(
            Map.entry("purchase", "purchase"),
            Map.entry("lead_generated", "generate_lead"),
            Map.entry("add_to_cart", "add_to_cart"),
            Map.entry("add_to_wishlist", "add_to_wishlist"),
            Map.entry("initiate_checkout", "begin_checkout"),
            Map.entry("add_payment_info", "add_payment_info"),
            Map.entry("complete_registration", "sign_up"),
            Map.entry("sign_up", "sign_up"),
            Map.entry("view_content", "view_item"),
            Map.entry("search", "search"),
            Map.entry("page_view", "page_view"));

    private PlatformEventNames() {
    }

    /**
     * @param overrides the destination's mapping from canonical names to platform names (may be null)
     * @return the override when one is set for {@code canonical}, else the platform's default
     */
    public static String name(DestinationType type, String canonical, Map<String, String> overrides) {
        String override = overrides == null ? null : overrides.get(canonical);
        if (override != null && !override.isBlank()) return override.strip();
        Map<String, String> defaults = switch (type) {
            case META -> META;
            case TIKTOK -> TIKTOK;
            case GA4 -> GA4;
            case GOOGLE_ADS, WEBHOOK -> Map.of();
        };
        return defaults.getOrDefault(canonical, canonical);
    }
}
