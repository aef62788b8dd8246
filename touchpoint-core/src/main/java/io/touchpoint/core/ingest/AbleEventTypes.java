package io.touchpoint.core.ingest;

import io.touchpoint.core.model.EventNames;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one table between Able's event types and canonical event names. Able's types are Meta's standard events
 * (Meta's pixel reference: the base code's {@code PageView} and the seventeen {@code fbq('track', …)} events), read
 * without regard to case ({@code purchase} is {@code Purchase}). Those with a Cometly name become it; the others
 * ({@link EventNames#META_ONLY}) canonical names of their own in the same style. A type not in the table is refused
 * with the list of accepted ones: an unknown type is far more often a typo than a new kind of conversion, and a typo
 * silently counted as a custom event would vanish from every report of the intended one.
 */
public final class AbleEventTypes {
    private static final Map<String, String> TO_CANONICAL = table();
    /** The table keyed by the lower-cased type, for the case-insensitive lookup. */
    private static final Map<String, String> BY_LOWER_CASE = byLowerCase(TO_CANONICAL);

    private AbleEventTypes() {
    }

    private static Map<String, String> table() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PageView", EventNames.PAGE_VIEW);
        // Meta's standard events, in the order of Meta's reference
        m.put("AddPaymentInfo", "add_payment_info");
        m.put("AddToCart", "add_to_cart");
        m.put("AddToWishlist", "add_to_wishlist");
        m.put("CompleteRegistration", "complete_registration");
        m.put("Contact", "contact");
        m.put("CustomizeProduct", "customize_product");
        m.put("Donate", "donate");
        m.put("FindLocation", "find_location");
        m.put("InitiateCheckout", "initiate_checkout");
        m.put("Lead", "lead_generated");
        m.put("Purchase", "purchase");
        m.put("Schedule", "schedule");
        m.put("Search", "search");
        m.put("StartTrial", "start_trial");
        m.put("SubmitApplication", "submit_application");
        m.put("Subscribe", "subscribe");
        m.put("ViewContent", "view_content");
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, String> byLowerCase(Map<String, String> table) {
        Map<String, String> m = new HashMap<>();
        table.forEach((type, canonical) -> m.put(type.toLowerCase(Locale.ROOT), canonical));
        return Map.copyOf(m);
    }

    /** The canonical name of an event type, whatever its case; empty when it is no type of the table. */
    public static Optional<String> canonical(String eventType) {
        if (eventType == null) return Optional.empty();
        return Optional.ofNullable(BY_LOWER_CASE.get(eventType.strip().toLowerCase(Locale.ROOT)));
    }

    /** Every accepted type, for error messages. */
    public static String describeAccepted() {
        return String.join(", ", TO_CANONICAL.keySet());
    }

    /** The whole table, Able type → canonical name, in a stable order. */
    public static Map<String, String> all() {
        return TO_CANONICAL;
    }
}
