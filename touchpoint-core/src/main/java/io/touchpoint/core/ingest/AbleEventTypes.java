package io.touchpoint.core.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table between Able's event types (Meta's standard event names) and the canonical names the
 * Cometly dialect shares. A type not in the table is refused with the list of accepted ones: an unknown
 * type is far more often a typo than a new kind of conversion, and a typo silently counted as a custom
 * event would vanish from every report of the intended one.
 */
public final class AbleEventTypes {
    private static final Map<String, String> TO_CANONICAL = table();

    private AbleEventTypes() {
    }

    private static Map<String, String> table() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PageView", EventNames.PAGE_VIEW);
        m.put("ViewContent", "view_content");
        m.put("Lead", "lead_generated");
        m.put("CompleteRegistration", "complete_registration");
        m.put("Contact", "contact");
        m.put("Schedule", "schedule");
        m.put("SubmitApplication", "submit_application");
        m.put("Subscribe", "subscribe");
        m.put("StartTrial", "start_trial");
        m.put("AddToCart", "add_to_cart");
        m.put("InitiateCheckout", "initiate_checkout");
        m.put("AddPaymentInfo", "add_payment_info");
        m.put("Purchase", "purchase");
        return Collections.unmodifiableMap(m);
    }

    public static Optional<String> canonical(String eventType) {
        return Optional.ofNullable(TO_CANONICAL.get(eventType));
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
