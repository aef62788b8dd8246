package io.touchpoint.core.destinations;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.touchpoint.core.destinations.RequestMaps.hasText;
import static io.touchpoint.core.destinations.RequestMaps.put;

/**
 * The body of a Google Ads uploadClickConversions request (REST, camelCase fields): one click conversion per
 * outbox entry, matched by its click id and, where known, the hashed email and phone (enhanced conversions).
 * The customer id in the URL, the developer token and the OAuth token are the sender's.
 */
public final class GoogleAdsConversions {
    /** Why an entry cannot be sent: Google matches a click conversion only by its click id. */
    public static final String NO_CLICK_ID = "no_click_id";
    private static final Pattern CUSTOMER_ID = Pattern.compile("[0-9]{10}");
    private static final Pattern ACTION_ID = Pattern.compile("[0-9]+");
    private static final Pattern ACTION_RESOURCE = Pattern.compile("customers/[0-9]+/conversionActions/[0-9]+");
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    // in order of preference: gclid is the web click id; gbraid and wbraid replace it for iOS traffic
    private static final List<IdentifierType> CLICK_IDS =
            List.of(IdentifierType.GCLID, IdentifierType.GBRAID, IdentifierType.WBRAID);

    private GoogleAdsConversions() {
    }

    /**
     * Partial failure is on, as Google requires for click conversion uploads: one bad conversion does not fail
     * the others. Every entry must have a click id; check with {@link #unmatchable} first.
     */
    public static Map<String, Object> request(Destination d, List<OutboxEntry> entries) {
        String action = conversionAction(d.setting("customer_id"), d.setting("conversion_action"));
        List<Object> conversions = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) conversions.add(conversion(action, e));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversions", conversions);
        body.put("partialFailure", true);
        return body;
    }

    static Map<String, Object> conversion(String conversionAction, OutboxEntry e) {
        Event event = e.event();
        Map<String, Object> m = new LinkedHashMap<>();
        IdentifierType clickType = clickIdType(event)
                .orElseThrow(() -> new IllegalArgumentException("event " + e.eventId() + " has no gclid, gbraid "
                        + "or wbraid; Google Ads cannot match it (skip it as " + NO_CLICK_ID + ")"));
        m.put(clickType.wireName(), event.identifier(clickType));
        m.put("conversionAction", conversionAction);
        m.put("conversionDateTime", conversionDateTime(event.eventTime()));
        Commerce c = event.commerce();
        put(m, "conversionValue", c.value());
        if (c.value() != null) put(m, "currencyCode", c.currency());
        // the order id is also Google's deduplication key per conversion action, so every conversion gets one
        m.put("orderId", hasText(c.orderId()) ? c.orderId() : e.dedupKey());
        List<Object> identifiers = new ArrayList<>(2);
        MatchKeys.googleEmail(RequestMaps.email(event)).ifPresent(h -> identifiers.add(Map.of("hashedEmail", h)));
        MatchKeys.googlePhone(RequestMaps.phone(event))
                .ifPresent(h -> identifiers.add(Map.of("hashedPhoneNumber", h)));
        put(m, "userIdentifiers", identifiers);
        put(m, "consent", consent(event.consent()));
        return m;
    }

    /**
     * The ClickConversion's consent: Google's ConsentStatus of each signal, UNSPECIFIED where it is not known; nothing
     * for an event stored before consent was recorded, which is sent as it was then.
     */
    static Map<String, Object> consent(Consent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.adUserData() == ConsentState.UNKNOWN && c.adPersonalization() == ConsentState.UNKNOWN) return m;
        m.put("adUserData", status(c.adUserData()));
        m.put("adPersonalization", status(c.adPersonalization()));
        return m;
    }

    private static String status(ConsentState s) {
        return s == ConsentState.UNKNOWN ? "UNSPECIFIED" : s.name();
    }

    /** Google's date-time form, in UTC: "2019-01-01 12:32:45+00:00". */
    public static String conversionDateTime(Instant instant) {
        return DATE_TIME.format(instant) + "+00:00";
    }

    /** {@value #NO_CLICK_ID} when the event has no gclid, gbraid or wbraid; empty when it can be sent. */
    public static Optional<String> unmatchable(OutboxEntry e) {
        return clickIdType(e.event()).isPresent() ? Optional.empty() : Optional.of(NO_CLICK_ID);
    }

    /** The customer id as Google's API takes it: ten digits, the dashes of "123-456-7890" removed. */
    public static String customerId(String raw) {
        String digits = raw == null ? "" : raw.strip().replace("-", "");
        if (!CUSTOMER_ID.matcher(digits).matches()) {
            throw new IllegalArgumentException("a Google Ads customer id is 10 digits, such as 123-456-7890; got \""
                    + (raw == null ? "" : raw) + "\"");
        }
        return digits;
    }

    /**
     * The conversion action's resource name, from its id ("987654") or from the resource name itself
     * ("customers/1234567890/conversionActions/987654", kept as given).
     */
    static String conversionAction(String customerId, String conversionAction) {
        String action = conversionAction == null ? "" : conversionAction.strip();
        if (ACTION_RESOURCE.matcher(action).matches()) return action;
        if (!ACTION_ID.matcher(action).matches()) {
            throw new IllegalArgumentException("conversion_action is a conversion action id (digits) or a resource"
                    + " name customers/{customer id}/conversionActions/{id}; got \"" + action + "\"");
        }
        return "customers/" + customerId(customerId) + "/conversionActions/" + action;
    }

    private static Optional<IdentifierType> clickIdType(Event event) {
        for (IdentifierType type : CLICK_IDS) {
            if (hasText(event.identifier(type))) return Optional.of(type);
        }
        return Optional.empty();
    }
}
