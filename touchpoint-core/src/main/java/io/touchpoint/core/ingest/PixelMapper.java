package io.touchpoint.core.ingest;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.normalize.Emails;
import io.touchpoint.core.normalize.IpAddresses;
import io.touchpoint.core.normalize.Phones;
import io.touchpoint.core.touchpoint.EventTouch;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pixel's beacons ({@code POST /collect}) → canonical event. A beacon is a JSON object:
 * <pre>
 * {"type": "page_view" | "identify" | "event", "name": "&lt;canonical event name, for type event&gt;",
 *  "token": "&lt;visitor token&gt;", "ts": "s" | "c" | "l" | "u" | "n", "fp": "&lt;fingerprint&gt;", "url": "...",
 *  "ref": "...", "title": "...",
 *  "params": {"utm_source": "...", "comet_ad_id": "...", "gclid": "...", ...},
 *  "cookies": {"fbp": "...", "fbc": "...", "ga": "..."},
 *  "screen": "1920x1080", "lang": "en-GB", "tz": "Europe/London",
 *  "person": {"email": "...", "phone": "...", "first_name": "...", "last_name": "...", "full_name": "..."},
 *  "consent": {"ad_storage": "granted" | "denied", "analytics_storage": ..., "ad_user_data": ..., "ad_personalization": ...}}
 * </pre>
 * A beacon whose {@code consent} denies {@code analytics_storage} may come without {@code token} (and the script then
 * sends no fingerprint either): the visitor allowed no identifier to be kept.
 * {@code ts} says where the script found the token on the page's load ({@link #TOKEN_SOURCES}); it is kept in custom
 * data under {@value #TOKEN_SOURCE} for the recognition report (an unknown value is left out).
 * The edge adds {@value #IP} and {@value #USER_AGENT} from the request, and {@value #REGION} when it knows it. A page view with a campaign signal
 * carries its touchpoint ({@link EventTouch}, as attribution classifies it) in custom data under {@value #TOUCHPOINT}.
 * Values the visitor typed that do not normalise (an email without @) are dropped with a warning: a beacon
 * is never refused for what a visitor typed.
 */
public final class PixelMapper implements DialectMapper {
    public static final String IP = "_ip";
    public static final String USER_AGENT = "_ua";
    /** The visitor's region as the edge knows it (a trusted header), for the workspace's consent default by region. */
    public static final String REGION = "_region";
    public static final String TOUCHPOINT = "touchpoint";
    public static final String TOKEN_SOURCE = "token_source";
    /**
     * The beacon's {@code ts} → the stored token source: the landing URL's {@code comet_token_override}, the cookie the
     * server set, the script's own cookie, its localStorage copy, or a token made on this load.
     */
    public static final Map<String, String> TOKEN_SOURCES = Map.of("u", "link", "s", "server_cookie", "c", "script_cookie",
            "l", "local_storage", "n", "new");
    static final int MAX_VALUE_CHARS = 2048;
    /** URL parameters read as click ids, and the identifier each becomes. */
    static final Map<String, IdentifierType> CLICK_PARAMS = Map.of("gclid", IdentifierType.GCLID,
            "gbraid", IdentifierType.GBRAID, "wbraid", IdentifierType.WBRAID, "fbclid", IdentifierType.FBCLID,
            "msclkid", IdentifierType.MSCLKID, "ttclid", IdentifierType.TTCLID, "li_fat_id", IdentifierType.LI_FAT_ID,
            "twclid", IdentifierType.TWCLID);

    @Override
    public MappingResult map(IngestInput in) {
        List<FieldError> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>(0);
        PayloadFields f = new PayloadFields(in.body(), errors);
        String type = f.requiredString("type");
        String name = null;
        if (type != null) {
            switch (type) {
                case "page_view" -> name = EventNames.PAGE_VIEW;
                case "identify" -> name = EventNames.IDENTIFY;
                case "event" -> {
                    name = f.requiredString("name");
                    if (name != null && !EventNames.isCanonical(name)) {
                        String suggestion = EventNames.suggest(name).orElse(null);
                        if (suggestion != null) {
                            name = suggestion;
                        } else {
                            f.error("name", FieldError.INVALID_VALUE, "name '" + PayloadFields.clip(name)
                                    + "' is not accepted; use one of " + EventNames.describeCanonical());
                        }
                    }
                }
                default -> f.error("type", FieldError.INVALID_VALUE, "type must be page_view, identify or event");
            }
        }
        Consent consent = ConsentFields.read(f, false)
                .withRegion(in.body().get(REGION) instanceof String r ? ConsentSettings.region(r).orElse(null) : null);
        // without analytics_storage the script keeps no visitor id: its beacons carry no token, on purpose
        boolean cookieless = consent.analyticsStorage() == ConsentState.DENIED;
        String token = cookieless ? f.string("token") : f.requiredString("token");
        if (token != null && (token.length() > 128 || !token.matches("[A-Za-z0-9._-]+"))) {
            f.error("token", FieldError.INVALID_VALUE, "token must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
        List<Identifier> ids = new ArrayList<>();
        if (token != null) ids.add(new Identifier(IdentifierType.VISITOR_TOKEN, token));
        // the script computes the fingerprint: one a store cannot hold is refused, not changed into another
        String fp = f.string("fp");
        add(ids, IdentifierType.FINGERPRINT, fp);

        Map<String, String> params = strings(f, "params");
        Map<String, String> cookies = strings(f, "cookies");
        for (var e : CLICK_PARAMS.entrySet()) add(ids, e.getValue(), params.get(e.getKey()));
        add(ids, IdentifierType.FBP, cookies.get("fbp"));
        add(ids, IdentifierType.FBC, cookies.get("fbc"));
        add(ids, IdentifierType.GA_COOKIE, cookies.get("ga"));

        Map<String, String> person = strings(f, "person");
        String email = null, phone = null;
        if (person.get("email") != null) {
            email = Emails.normalize(person.get("email")).orElse(null);
            if (email == null) warnings.add(OptionalFields.warning(new FieldError("person.email",
                    FieldError.INVALID_VALUE, "person.email is not a valid email address")));
        }
        if (person.get("phone") != null) {
            phone = Phones.normalize(person.get("phone"), in.workspace().settings().phoneRegion()).orElse(null);
            if (phone == null) warnings.add(OptionalFields.warning(new FieldError("person.phone", FieldError.INVALID_VALUE,
                    "person.phone is not a phone number: '" + PayloadFields.clip(person.get("phone")) + "'")));
        }
        add(ids, IdentifierType.EMAIL, email);
        add(ids, IdentifierType.PHONE, phone);

        Campaign campaign = new Campaign(params.get("utm_source"), params.get("utm_medium"),
                params.get("utm_campaign"), params.get("utm_term"), params.get("utm_content"),
                params.get("comet_network"), params.get("comet_ad_group"), params.get("comet_ad_id"),
                params.get("comet_keyword"), params.get("comet_type"), params.get("comet_placement"));
        String ip = in.body().get(IP) instanceof String s ? IpAddresses.normalize(s).orElse(null) : null;
        String ua = in.body().get(USER_AGENT) instanceof String s ? StorableText.strip(s) : null;
        String url = short_(f, "url");
        Context context = new Context(ip, ua, url, short_(f, "ref"), campaign, url);

        if (!errors.isEmpty()) return new MappingResult.Rejected(List.copyOf(errors), warnings, name, email);

        Map<String, Object> custom = new LinkedHashMap<>();
        putIf(custom, "title", short_(f, "title"));
        putIf(custom, "screen", short_(f, "screen"));
        putIf(custom, "language", short_(f, "lang"));
        putIf(custom, "time_zone", short_(f, "tz"));
        putIf(custom, TOKEN_SOURCE, in.body().get("ts") instanceof String ts ? TOKEN_SOURCES.get(ts) : null);
        Map<String, String> comet = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith("comet_") && !k.equals("comet_token_override")) comet.put(k, v);
        });
        if (!comet.isEmpty()) custom.put("comet", comet);
        if (EventNames.PAGE_VIEW.equals(name)) {
            EventTouch.of(name, context, ids).filter(EventTouch::signal)
                    .ifPresent(t -> custom.put(TOUCHPOINT, describe(t.touchpoint())));
        }
        Person p = new Person(email, phone, person.get("first_name"), person.get("last_name"), person.get("full_name"),
                Map.of());
        Event event = new Event(in.eventId(), in.workspace().id(), Source.PIXEL, in.requestId(), in.receivedAt(),
                in.receivedAt(), name, ids, p, context, Commerce.NONE, null, false, custom, in.rawPayload(), consent);
        return new MappingResult.Accepted(event, warnings);
    }

    /** A touchpoint as stored in custom data. */
    public static Map<String, Object> describe(Touchpoint t) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "source", t.source());
        putIf(m, "medium", t.medium());
        putIf(m, "campaign", t.campaign());
        putIf(m, "term", t.term());
        putIf(m, "content", t.content());
        putIf(m, "click_id_type", t.clickIdType() == null ? null : t.clickIdType().wireName());
        putIf(m, "click_id", t.clickId());
        m.put("platform", t.platform().wireName());
        m.put("channel", t.channel().label());
        putIf(m, "campaign_id", t.campaignId());
        putIf(m, "ad_set_id", t.adSetId());
        putIf(m, "ad_id", t.adId());
        return m;
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) m.put(k, v);
    }

    private static void add(List<Identifier> ids, IdentifierType type, String value) {
        if (value == null || value.isBlank()) return;
        // identifiers are indexed, so they are cut shorter than other values
        ids.add(new Identifier(type, cut(value.strip(), PayloadFields.MAX_TEXT_CHARS).strip()));
    }

    /** Free text of the beacon, at most {@value #MAX_VALUE_CHARS} characters, without what no store can hold. */
    private static String short_(PayloadFields f, String name) {
        String s = f.text(name, Integer.MAX_VALUE);
        return s == null || s.isBlank() ? null : cut(s, MAX_VALUE_CHARS);
    }

    /**
     * At most {@code max} characters without what no store can hold (a beacon is never refused for those: they come
     * from the page's address and cookies); a cut never leaves half of a surrogate pair.
     */
    static String cut(String s, int max) {
        String kept = StorableText.strip(s);
        if (kept.length() <= max) return kept;
        int end = Character.isHighSurrogate(kept.charAt(max - 1)) ? max - 1 : max;
        return kept.substring(0, end);
    }

    /**
     * An object of strings; other values inside it are ignored, and characters no store can hold are dropped from
     * keys and values: they come from the page's address and cookies, which a beacon is never refused for.
     */
    private static Map<String, String> strings(PayloadFields f, String name) {
        Map<String, Object> o = f.object(name);
        if (o == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        o.forEach((k, v) -> {
            if (!(v instanceof String raw) || out.size() >= 64) return;
            String s = StorableText.strip(raw);
            if (s.isBlank()) return;
            out.put(StorableText.strip(k), cut(s.strip(), MAX_VALUE_CHARS));
        });
        return out;
    }
}
