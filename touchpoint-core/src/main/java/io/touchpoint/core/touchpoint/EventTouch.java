package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one event says about a touchpoint: the one classification that the pixel's ingest (the touchpoint it keeps
 * in a page view's custom data), the attribution stage and the journey view all use, so they never disagree.
 * Every page view is a visit: with a campaign signal (UTM fields, a click id, a referrer from another site) it is
 * classified by the {@link ChannelGrouping}, without one it is Direct. A server event or webhook is a touchpoint
 * only when it carries a signal of its own: UTM or comet_* fields, click ids among its identifiers, or UTM
 * parameters and click ids in the page URL it names.
 *
 * @param signal whether the event carried a campaign signal; a page view without one continues the visit in
 *               progress rather than starting a Direct touchpoint
 *               ({@code io.touchpoint.core.attribution.Visits})
 */
public record EventTouch(Touchpoint touchpoint, boolean signal) {
    private static final Map<String, IdentifierType> URL_CLICK_IDS = Map.of("gclid", IdentifierType.GCLID,
            "gbraid", IdentifierType.GBRAID, "wbraid", IdentifierType.WBRAID, "fbclid", IdentifierType.FBCLID,
            "msclkid", IdentifierType.MSCLKID, "ttclid", IdentifierType.TTCLID, "li_fat_id", IdentifierType.LI_FAT_ID,
            "twclid", IdentifierType.TWCLID);

    public static Optional<EventTouch> of(Event e) {
        return of(e.name(), e.context(), e.identifiers());
    }

    /** The same for an event still being mapped: its canonical name, context and identifiers. */
    public static Optional<EventTouch> of(String name, Context context, List<Identifier> identifiers) {
        Map<String, String> query = query(context.pageUrl());
        ChannelGrouping.Visit visit = visitOf(context, identifiers, query);
        boolean signal = ChannelGrouping.hasCampaignSignal(visit);
        if (!signal && !EventNames.PAGE_VIEW.equals(name)) return Optional.empty();
        return Optional.of(new EventTouch(ChannelGrouping.classify(visit).withAdIds(AdIds.of(context.campaign(), query)), signal));
    }

    /** The event's visit, with UTM parameters and click ids of its page URL filled in where the event has none. */
    static ChannelGrouping.Visit visitOf(Context context, List<Identifier> identifiers, Map<String, String> query) {
        Campaign c = context.campaign() == null ? Campaign.NONE : context.campaign();
        List<Identifier> clicks = new ArrayList<>();
        for (Identifier i : identifiers) {
            if (ChannelGrouping.CLICK_IDS.contains(i.type())) clicks.add(i);
        }
        if (!query.isEmpty()) {
            c = new Campaign(or(c.source(), query.get("utm_source")), or(c.medium(), query.get("utm_medium")),
                    or(c.name(), query.get("utm_campaign")), or(c.term(), query.get("utm_term")),
                    or(c.content(), query.get("utm_content")), c.network(), c.adGroup(), c.adId(), c.keyword(),
                    c.type(), c.placement());
            for (var click : URL_CLICK_IDS.entrySet()) {
                String v = query.get(click.getKey());
                if (v != null && clicks.stream().noneMatch(i -> i.type() == click.getValue())) {
                    clicks.add(new Identifier(click.getValue(), v));
                }
            }
        }
        return new ChannelGrouping.Visit(c, context.referrer(), context.pageUrl(), clicks);
    }

    private static String or(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static Map<String, String> query(String url) {
        if (url == null) return Map.of();
        String q;
        try {
            q = URI.create(url.strip()).getRawQuery();
        } catch (IllegalArgumentException e) {
            return Map.of(); // a page URL that is not a URI says nothing about the campaign
        }
        if (q == null || q.isEmpty()) return Map.of();
        Map<String, String> out = new HashMap<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) continue;
            try {
                String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
                out.putIfAbsent(k, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip());
            } catch (IllegalArgumentException ignored) {
                // a malformed escape: skip that parameter only
            }
        }
        return out;
    }
}
