package io.touchpoint.core.destinations;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.normalize.PlatformIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.touchpoint.core.destinations.RequestMaps.hasText;
import static io.touchpoint.core.destinations.RequestMaps.put;

/**
 * The body of a GA4 Measurement Protocol request (POST /mp/collect; measurement id and API secret go in the
 * query, the sender's part): one event for one client. GA silently drops what breaks its collection limits, so
 * names are checked and long values shortened here instead.
 */
public final class Ga4Events {
    public static final int MAX_NAME_LENGTH = 40;
    public static final int MAX_VALUE_LENGTH = 100;
    public static final int MAX_PARAMS = 25;
    private static final int MAX_USER_ID_LENGTH = 256;
    private static final int MAX_PAGE_LOCATION_LENGTH = 1000;
    private static final int MAX_PAGE_REFERRER_LENGTH = 420;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0," + (MAX_NAME_LENGTH - 1) + "}");
    private static final List<String> RESERVED_PREFIXES = List.of("firebase_", "ga_", "google_");
    private static final Set<String> RESERVED_EVENTS = Set.of("ad_activeview", "ad_click", "ad_exposure",
            "ad_impression", "ad_query", "ad_reward", "adunit_exposure", "app_background", "app_clear_data",
            "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel",
            "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade",
            "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error", "first_open",
            "first_visit", "in_app_purchase", "notification_dismiss", "notification_foreground",
            "notification_open", "notification_receive", "os_update", "session_start", "session_start_with_rollout",
            "user_engagement");

    private Ga4Events() {
    }

    public static Map<String, Object> request(Destination d, OutboxEntry e) {
        Event event = e.event();
        String name = PlatformEventNames.name(DestinationType.GA4, event.name(), d.eventMap());
        if (!isValidEventName(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a GA4 event name: up to 40 letters, digits"
                    + " and underscores starting with a letter, not reserved by GA (such as session_start, ga_*)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId(e));
        if ("true".equalsIgnoreCase(d.setting("send_user_id")) && hasText(e.profileId())) {
            body.put("user_id", truncate(e.profileId(), MAX_USER_ID_LENGTH));
        }
        body.put("timestamp_micros", micros(event.eventTime()));
        Map<String, Object> ga4Event = new LinkedHashMap<>();
        ga4Event.put("name", name);
        put(ga4Event, "params", params(e, name));
        body.put("events", List.of(ga4Event));
        put(body, "consent", consent(event.consent()));
        return body;
    }

    /** The request's consent as the Measurement Protocol takes it: the signals that are known, GRANTED or DENIED. */
    static Map<String, Object> consent(Consent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.adUserData() != ConsentState.UNKNOWN) m.put("ad_user_data", c.adUserData().name());
        if (c.adPersonalization() != ConsentState.UNKNOWN) m.put("ad_personalization", c.adPersonalization().name());
        return m;
    }

    static Map<String, Object> params(OutboxEntry e, String name) {
        Event event = e.event();
        Commerce c = event.commerce();
        Map<String, Object> p = new LinkedHashMap<>();
        if (name.equals("purchase")) {
            p.put("transaction_id", truncate(hasText(c.orderId()) ? c.orderId() : e.dedupKey(), MAX_VALUE_LENGTH));
        }
        // GA counts revenue only with its currency
        if (c.value() != null && hasText(c.currency())) {
            p.put("value", c.value());
            p.put("currency", c.currency());
        }
        put(p, "items", items(c.items()));
        put(p, "page_location", truncate(event.context().pageUrl(), MAX_PAGE_LOCATION_LENGTH));
        put(p, "page_referrer", truncate(event.context().referrer(), MAX_PAGE_REFERRER_LENGTH));
        event.customData().forEach((key, value) -> {
            if (p.size() >= MAX_PARAMS || p.containsKey(key) || !isValidParamName(key)) return;
            if (value instanceof String s) put(p, key, truncate(s, MAX_VALUE_LENGTH));
            else if (value instanceof Number n) p.put(key, n);
        });
        return p;
    }

    private static List<Object> items(List<Item> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Item item : items) {
            // GA needs an item's id or its name
            if (!hasText(item.sku()) && !hasText(item.name())) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "item_id", truncate(item.sku(), MAX_VALUE_LENGTH));
            put(m, "item_name", truncate(item.name(), MAX_VALUE_LENGTH));
            put(m, "item_category", truncate(item.category(), MAX_VALUE_LENGTH));
            put(m, "price", item.price());
            put(m, "quantity", RequestMaps.count(item.quantity()));
            out.add(m);
        }
        return out;
    }

    /**
     * The GA client id: from the _ga cookie ("GA1.1.777.888" → "777.888", a bare "777.888" as it is), else a
     * stable one derived from the profile id (the same person is one client), else from the event id.
     */
    public static String clientId(OutboxEntry e) {
        String cookie = e.event().identifier(IdentifierType.GA_COOKIE);
        if (cookie != null) {
            String c = cookie.strip();
            String fromCookie = PlatformIds.gaClientIdOfCookie(c);
            if (fromCookie != null) return fromCookie;
            if (PlatformIds.isGaClientId(c)) return c;
        }
        return derivedClientId(hasText(e.profileId()) ? e.profileId() : e.eventId());
    }

    /** Two positive numbers from the hash of {@code seed}, in the "random.timestamp" shape GA's cookies have. */
    static String derivedClientId(String seed) {
        byte[] hash = HexFormat.of().parseHex(MatchKeys.sha256(seed));
        return positive(hash, 0) + "." + positive(hash, 4);
    }

    /** GA4's rule for event names: 40 characters at most, letters, digits and underscores, not reserved. */
    public static boolean isValidEventName(String name) {
        return isValidParamName(name) && !RESERVED_EVENTS.contains(name);
    }

    static boolean isValidParamName(String name) {
        if (name == null || !NAME.matcher(name).matches()) return false;
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) return false;
        }
        return true;
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** At most {@code max} characters, never splitting a character outside the Basic Multilingual Plane. */
    static String truncate(String s, int max) {
        if (s == null || s.codePointCount(0, s.length()) <= max) return s;
        return s.substring(0, s.offsetByCodePoints(0, max));
    }

    private static long positive(byte[] hash, int offset) {
        int n = 0;
        for (int i = offset; i < offset + 4; i++) n = (n << 8) | (hash[i] & 0xff);
        n &= Integer.MAX_VALUE;
        return n == 0 ? 1 : n;
    }
}
