package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.destinations.RequestMaps.hasText;
import static io.touchpoint.core.destinations.RequestMaps.put;

/**
 * The body of a TikTok Events API 2.0 request (POST /open_api/v1.3/event/track/) for a pixel: web events, each
 * with the hashed email, phone and external id, the browser signals as they are, the page, and the order.
 * The access token goes in a header; the sender adds it.
 */
public final class TikTokEvents {
    private TikTokEvents() {
    }

    public static Map<String, Object> request(Destination d, List<OutboxEntry> entries) {
        List<Object> data = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) data.add(event(d, e));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_source", "web");
        body.put("event_source_id", d.setting("pixel_code"));
        put(body, "test_event_code", d.setting("test_event_code"));
        body.put("data", data);
        return body;
    }

    static Map<String, Object> event(Destination d, OutboxEntry e) {
        Event event = e.event();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", PlatformEventNames.name(DestinationType.TIKTOK, event.name(), d.eventMap()));
        m.put("event_time", event.eventTime().getEpochSecond());
        m.put("event_id", e.dedupKey());
        // the user object is always sent, even empty: it is where TikTok looks for the match keys
        m.put("user", user(e));
        Context c = event.context();
        Map<String, Object> page = new LinkedHashMap<>();
        put(page, "url", c.pageUrl());
        put(page, "referrer", c.referrer());
        put(m, "page", page);
        put(m, "properties", properties(event.commerce()));
        // TikTok's flag for US state privacy laws, set where the workspace restricts processing
        if (event.consent().limitedDataUse()) m.put("limited_data_use", true);
        return m;
    }

    static Map<String, Object> user(OutboxEntry e) {
        Event event = e.event();
        Map<String, Object> u = new LinkedHashMap<>();
        MatchKeys.tiktokEmail(RequestMaps.email(event)).ifPresent(h -> u.put("email", h));
        MatchKeys.tiktokPhone(RequestMaps.phone(event)).ifPresent(h -> u.put("phone", h));
        MatchKeys.tiktokExternalId(e.profileId()).ifPresent(h -> u.put("external_id", h));
        put(u, "ip", event.context().ip());
        put(u, "user_agent", event.context().userAgent());
        put(u, "ttclid", event.identifier(IdentifierType.TTCLID));
        put(u, "ttp", event.identifier(IdentifierType.TTP));
        return u;
    }

    static Map<String, Object> properties(Commerce c) {
        Map<String, Object> m = new LinkedHashMap<>();
        // TikTok reads a value only with its currency
        if (c.value() != null && hasText(c.currency())) {
            m.put("value", c.value());
            m.put("currency", c.currency());
        }
        List<Object> contents = new ArrayList<>();
        for (Item item : c.items()) {
            Map<String, Object> content = new LinkedHashMap<>();
            put(content, "content_id", RequestMaps.itemId(item));
            put(content, "content_name", item.name());
            put(content, "content_category", item.category());
            put(content, "price", item.price());
            put(content, "quantity", RequestMaps.count(item.quantity()));
            if (!content.isEmpty()) contents.add(content);
        }
        put(m, "contents", contents);
        if (!contents.isEmpty()) m.put("content_type", "product");
        put(m, "order_id", c.orderId());
        return m;
    }
}
