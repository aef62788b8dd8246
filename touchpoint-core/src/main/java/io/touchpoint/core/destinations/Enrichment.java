package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills in what a conversion lacks from its profile's other events, which is why conversions go out through
 * Touchpoint: a server purchase with only an email leaves with the click ids and browser cookies, address, user
 * agent and landing page that the same person's browser visits carried within the platform's click window, and
 * with the email and phone learned from a form. The result says for every field whether it came from the event or
 * the profile.
 */
public final class Enrichment {
    /** Identifiers a browser visit carries that platforms match clicks on; only taken within the click window. */
    static final Set<IdentifierType> CLICK_SIGNALS = EnumSet.of(IdentifierType.FBC, IdentifierType.FBP,
            IdentifierType.FBCLID, IdentifierType.GCLID, IdentifierType.GBRAID, IdentifierType.WBRAID,
            IdentifierType.TTCLID, IdentifierType.TTP, IdentifierType.GA_COOKIE, IdentifierType.MSCLKID);
    /** Identifiers a person gives (forms): taken from any of the profile's events read. */
    static final Set<IdentifierType> PERSON_SIGNALS = EnumSet.of(IdentifierType.EMAIL, IdentifierType.PHONE);

    /** Every identifier type enrichment takes from the profile: where each was first seen is worth reading. */
    public static final Set<IdentifierType> SIGNALS = union(CLICK_SIGNALS, PERSON_SIGNALS);

    public static final String FROM_EVENT = "event";
    public static final String FROM_PROFILE = "profile";

    private Enrichment() {
    }

    /** The conversion as enriched, and each present field's origin. */
    public record Enriched(Event event, Map<String, String> fields) {
    }

    /**
     * @param conversion the event to send
     * @param history    the profile's events, newest first (the conversion itself may be among them)
     * @param window     how far back a browser visit's click signals still count
     */
    public static Enriched enrich(Event conversion, List<Event> history, Duration window) {
        return enrichFrom(conversion, history.stream().map(ProfileEvent::of).toList(), window);
    }

    /** {@link #enrich} from what a store read of the profile's events: only the fields enrichment takes. */
    public static Enriched enrichFrom(Event conversion, List<ProfileEvent> history, Duration window) {
        Instant at = conversion.eventTime();
        Instant from = at.minus(window);
        Map<String, String> origins = new LinkedHashMap<>();
        List<Identifier> ids = new ArrayList<>(conversion.identifiers());
        EnumSet<IdentifierType> have = EnumSet.noneOf(IdentifierType.class);
        for (Identifier i : conversion.identifiers()) {
            have.add(i.type());
            if (CLICK_SIGNALS.contains(i.type()) || PERSON_SIGNALS.contains(i.type())) origins.put(i.type().wireName(), FROM_EVENT);
        }
        Context c = conversion.context();
        String ip = c.ip(), userAgent = c.userAgent(), pageUrl = c.pageUrl();
        mark(origins, "ip", ip);
        mark(origins, "user_agent", userAgent);
        mark(origins, "page_url", pageUrl);
        String landingOfClick = null;
        for (ProfileEvent e : history) {
            if (e.id().equals(conversion.id()) || e.eventTime().isAfter(at)) continue;
            boolean inWindow = !e.eventTime().isBefore(from);
            boolean browser = e.source() == Source.PIXEL || e.userAgent() != null;
            for (Identifier i : e.signals()) {
                boolean click = CLICK_SIGNALS.contains(i.type());
                if (have.contains(i.type()) || !(PERSON_SIGNALS.contains(i.type()) || click && inWindow)) continue;
                ids.add(i);
                have.add(i.type());
                origins.put(i.type().wireName(), FROM_PROFILE);
                if (click && landingOfClick == null && i.type() != IdentifierType.FBP && i.type() != IdentifierType.TTP
                        && i.type() != IdentifierType.GA_COOKIE) {
                    landingOfClick = e.pageUrl();
                }
            }
            if (inWindow && browser) {
                if (ip == null && e.ip() != null) ip = fromProfile(origins, "ip", e.ip());
                if (userAgent == null && e.userAgent() != null) userAgent = fromProfile(origins, "user_agent", e.userAgent());
            }
            if (inWindow && pageUrl == null && landingOfClick == null && e.source() == Source.PIXEL
                    && e.pageUrl() != null) {
                pageUrl = fromProfile(origins, "page_url", e.pageUrl());
            }
        }
        if (c.pageUrl() == null && landingOfClick != null) pageUrl = fromProfile(origins, "page_url", landingOfClick);
        Person p = conversion.person();
        String email = firstOf(ids, IdentifierType.EMAIL), phone = firstOf(ids, IdentifierType.PHONE);
        Person person = new Person(p.email() != null ? p.email() : email, p.phone() != null ? p.phone() : phone,
                p.firstName(), p.lastName(), p.fullName(), p.attributes());
        Context context = new Context(ip, userAgent, pageUrl, c.referrer(), c.campaign(), c.eventSource());
        Event enriched = new Event(conversion.id(), conversion.workspaceId(), conversion.source(), conversion.requestId(),
                conversion.receivedAt(), conversion.eventTime(), conversion.name(), ids, person, context,
                conversion.commerce(), conversion.idempotencyKey(), conversion.doNotForward(), conversion.customData(),
                conversion.rawPayload(), conversion.consent());
        return new Enriched(enriched, origins);
    }

    private static Set<IdentifierType> union(Set<IdentifierType> a, Set<IdentifierType> b) {
        EnumSet<IdentifierType> all = EnumSet.copyOf(a);
        all.addAll(b);
        return java.util.Collections.unmodifiableSet(all);
    }

    private static void mark(Map<String, String> origins, String field, String value) {
        if (value != null) origins.put(field, FROM_EVENT);
    }

    private static String fromProfile(Map<String, String> origins, String field, String value) {
        origins.put(field, FROM_PROFILE);
        return value;
    }

    private static String firstOf(List<Identifier> ids, IdentifierType type) {
        for (Identifier i : ids) {
            if (i.type() == type) return i.value();
        }
        return null;
    }
}
