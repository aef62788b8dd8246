package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.normalize.PlatformIds;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.touchpoint.core.destinations.RequestMaps.hasText;
import static io.touchpoint.core.destinations.RequestMaps.put;

/**
 * The body of a Meta Conversions API request (POST /{pixel_id}/events): the events and the test event code. The
 * access token is not part of it; the sender adds it. Contact details are hashed as Meta specifies (see
 * {@link MatchKeys}); browser signals (IP, user agent, fbc, fbp) go as they are.
 */
public final class MetaEvents {
    static final String WEBSITE = "website";
    static final String SYSTEM_GENERATED = "system_generated";

    private MetaEvents() {
    }

    public static Map<String, Object> request(Destination d, List<OutboxEntry> entries) {
        List<Object> data = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) data.add(event(d, e));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        put(body, "test_event_code", d.setting("test_event_code"));
        return body;
    }

    public static Map<String, Object> event(Destination d, OutboxEntry e) {
        Event event = e.event();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_name", PlatformEventNames.name(DestinationType.META, event.name(), d.eventMap()));
        m.put("event_time", event.eventTime().getEpochSecond());
        m.put("event_id", e.dedupKey());
        m.put("action_source", actionSource(d, event));
        put(m, "event_source_url", event.context().pageUrl());
        // Meta requires user_data on every event, even when only the browser signals are known
        m.put("user_data", userData(e));
        put(m, "custom_data", customData(event));
        if (event.consent().limitedDataUse()) m.putAll(limitedDataUse(event.consent().region()));
        return m;
    }

    /**
     * Meta's Limited Data Use for an event of a region the workspace restricts: the option, and the visitor's place in
     * Meta's codes where Meta gives one (country 1, the United States; state 1000, California), else 0 and 0, which
     * asks Meta to geolocate the event and apply the option where its state terms do.
     */
    static Map<String, Object> limitedDataUse(String region) {
        boolean california = "US-CA".equals(region);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_processing_options", List.of("LDU"));
        m.put("data_processing_options_country", california ? 1 : 0);
        m.put("data_processing_options_state", california ? 1000 : 0);
        return m;
    }

    /**
     * "website" for what happened in a browser: the pixel's events, and events carrying a page URL or Meta's
     * browser cookies. Meta requires a user agent on website events, so without one the event is sent under the
     * destination's configured source instead of being refused.
     */
    static String actionSource(Destination d, Event event) {
        boolean browser = event.source() == Source.PIXEL || hasText(event.context().pageUrl())
                || event.identifier(IdentifierType.FBP) != null || event.identifier(IdentifierType.FBC) != null
                || event.identifier(IdentifierType.FBCLID) != null;
        if (browser && hasText(event.context().userAgent())) return WEBSITE;
        String configured = d.setting("action_source");
        return hasText(configured) ? configured.strip() : SYSTEM_GENERATED;
    }

    static Map<String, Object> userData(OutboxEntry e) {
        Event event = e.event();
        PersonFields person = PersonFields.of(event.person());
        Map<String, Object> u = new LinkedHashMap<>();
        putHash(u, "em", MatchKeys.metaEmail(RequestMaps.email(event)));
        putHash(u, "ph", MatchKeys.metaPhone(RequestMaps.phone(event)));
        putHash(u, "fn", MatchKeys.metaName(person.firstName()));
        putHash(u, "ln", MatchKeys.metaName(person.lastName()));
        putHash(u, "ct", MatchKeys.metaCity(person.city()));
        putHash(u, "st", MatchKeys.metaState(person.state()));
        putHash(u, "zp", MatchKeys.metaZip(person.zip(), person.country()));
        putHash(u, "country", MatchKeys.metaCountry(person.country()));
        putHash(u, "external_id", MatchKeys.metaExternalId(e.profileId()));
        put(u, "client_ip_address", event.context().ip());
        put(u, "client_user_agent", event.context().userAgent());
        put(u, "fbc", fbc(event));
        put(u, "fbp", event.identifier(IdentifierType.FBP));
        return u;
    }

    /**
     * The _fbc cookie's value, or one built from a bare fbclid in Meta's format fb.1.{creation ms}.{fbclid}, the
     * event's time standing for when the click id was first seen. An fbclid that is already an _fbc cookie's value
     * (senders such as Able pass the cookie in their fbclid key) is sent as it is.
     */
    static String fbc(Event event) {
        String fbc = event.identifier(IdentifierType.FBC);
        if (hasText(fbc)) return fbc;
        String fbclid = event.identifier(IdentifierType.FBCLID);
        if (!hasText(fbclid)) return null;
        return PlatformIds.fbclidOfFbc(fbclid) != null ? fbclid : "fb.1." + event.eventTime().toEpochMilli() + "." + fbclid;
    }

    static Map<String, Object> customData(Event event) {
        Commerce c = event.commerce();
        Map<String, Object> m = new LinkedHashMap<>();
        // Meta refuses a value without its currency, so the two go together or not at all
        if (c.value() != null && hasText(c.currency())) {
            m.put("value", c.value());
            m.put("currency", c.currency());
        }
        put(m, "order_id", c.orderId());
        List<Object> contents = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        BigDecimal count = BigDecimal.ZERO;
        for (Item item : c.items()) {
            String id = RequestMaps.itemId(item);
            BigDecimal quantity = item.quantity() == null ? BigDecimal.ONE : item.quantity();
            count = count.add(quantity);
            if (!hasText(id)) continue;
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("id", id);
            content.put("quantity", RequestMaps.count(quantity));
            put(content, "item_price", item.price());
            contents.add(content);
            ids.add(id);
        }
        put(m, "contents", contents);
        put(m, "content_ids", ids);
        if (!ids.isEmpty()) m.put("content_type", "product");
        if (!c.items().isEmpty()) m.put("num_items", RequestMaps.count(count));
        event.customData().forEach((key, value) -> {
            if (!m.containsKey(key)) put(m, key, value);
        });
        return m;
    }

    private static void putHash(Map<String, Object> userData, String key, Optional<String> hash) {
        // Meta takes each hashed parameter as a list, which also leaves room for several values later
        hash.ifPresent(h -> userData.put(key, List.of(h)));
    }
}
