package io.touchpoint.core.ingest;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Able CDP inbound webhook (docs/WIRE-FORMATS.md) → canonical event. The funnel mark was already resolved by the
 * edge (it selects the workspace); this reads {@code event_type} and {@code resource}.
 * Beyond Able's fields, an optional top-level {@code idempotency_key} and {@code event_time} are read as in
 * the Cometly dialect.
 */
public final class AbleMapper implements DialectMapper {
    static final Set<String> TOP_FIELDS = Set.of("funnel_mark", "event_type", "resource", "idempotency_key", "event_time");
    static final Set<String> RESOURCE_FIELDS = Set.of("referrer_url", "utm_source", "utm_medium", "utm_campaign",
            "utm_term", "utm_content", "deal_value", "deal_currency", "deal_items", "event_source", "lead",
            "description", "message", "order_id", "custom_data", "client", "keys", ConsentFields.FIELD);
    /** Able's visitor keys, in its documented order, and the identifier each becomes. */
    static final Map<String, IdentifierType> KEYS = keys();

    private static Map<String, IdentifierType> keys() {
        Map<String, IdentifierType> m = new LinkedHashMap<>();
        m.put("phone", IdentifierType.PHONE);
        m.put("email", IdentifierType.EMAIL);
        m.put("client_id", IdentifierType.CLIENT_ID);
        m.put("gclid", IdentifierType.GCLID);
        m.put("wbraid", IdentifierType.WBRAID);
        m.put("gbraid", IdentifierType.GBRAID);
        m.put("fbp", IdentifierType.FBP);
        m.put("fbclid", IdentifierType.FBCLID);
        m.put("ga_cookie", IdentifierType.GA_COOKIE);
        m.put("app_instance_id", IdentifierType.APP_INSTANCE_ID);
        m.put("apladid", IdentifierType.APPLE_AD_ID);
        m.put("andadid", IdentifierType.ANDROID_AD_ID);
        m.put("msclkid", IdentifierType.MSCLKID);
        m.put("ttp", IdentifierType.TTP);
        m.put("tpclid", IdentifierType.TTCLID);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public MappingResult map(IngestInput in) {
        List<FieldError> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>(0);
        PayloadFields top = new PayloadFields(in.body(), errors);
        warnUnknown(in.body(), TOP_FIELDS, "", warnings);

        String eventType = top.requiredString("event_type");
        String name = null;
        if (eventType != null) {
            name = AbleEventTypes.canonical(eventType).orElse(null);
            if (name == null) {
                top.error("event_type", FieldError.INVALID_VALUE, "event_type '" + PayloadFields.clip(eventType)
                        + "' is not accepted; use one of " + AbleEventTypes.describeAccepted());
            }
        }
        Instant eventTime = top.eventTime("event_time", in.receivedAt());
        String idempotencyKey = top.string("idempotency_key", PayloadFields.MAX_KEY_CHARS);
        Map<String, Object> resource = top.object("resource");
        if (resource == null) {
            if (!in.body().containsKey("resource") || in.body().get("resource") == null) {
                top.error("resource", FieldError.MISSING, "resource is required");
            }
            return new MappingResult.Rejected(List.copyOf(errors), warnings, name, null);
        }
        warnUnknown(resource, RESOURCE_FIELDS, "resource.", warnings);
        PayloadFields r = new PayloadFields(resource, "resource.", errors);

        List<Identifier> ids = identifiers(r, in.workspace().settings().phoneRegion(), warnings);
        String email = first(ids, IdentifierType.EMAIL);

        BigDecimal value = r.nonNegativeAmount("deal_value");
        String currency = r.currency("deal_currency");
        if (value != null && currency == null && !r.has("deal_currency")) {
            r.error("deal_currency", FieldError.MISSING, "resource.deal_currency is required when deal_value is set"
                    + " (an ISO 4217 code such as USD)");
        }
        String description = r.text("description");
        List<Item> items = items(r);
        if (items.isEmpty() && description != null && value != null) {
            items = List.of(new Item(description, value, BigDecimal.ONE, null, null)); // Able: description names the item
        }
        String orderId = r.string("order_id");

        Map<String, Object> lead = r.object("lead");
        Map<String, Object> attributes = new LinkedHashMap<>(lead == null ? Map.of() : lead);
        String firstName = leadName(lead, errors, "firstName");
        String lastName = leadName(lead, errors, "lastName");
        for (String key : List.of("firstName", "lastName")) { // a name dropped (too long) is not kept as an attribute
            if (errors.stream().anyMatch(e -> e.param().equals("resource.lead." + key))) attributes.remove(key);
        }
        String message = r.text("message", PayloadFields.MAX_LONG_TEXT_CHARS);
        if (message != null) attributes.putIfAbsent("message", message);
        Map<String, Object> client = r.object("client");
        String ip = null, ua = null;
        if (client != null) {
            PayloadFields c = new PayloadFields(client, "resource.client.", errors);
            ip = c.ip("ip");
            ua = c.text("ua", PayloadFields.MAX_URL_CHARS);
        }
        Map<String, Object> customData = r.object("custom_data");
        Consent consent = ConsentFields.read(r, true);
        String eventSource = r.text("event_source", PayloadFields.MAX_URL_CHARS);
        Campaign campaign = new Campaign(r.text("utm_source"), r.text("utm_medium"), r.text("utm_campaign"),
                r.text("utm_term"), r.text("utm_content"), null, null, null, null, null, null);
        Context context = new Context(ip, ua, isWebUrl(eventSource) ? eventSource : null, r.text("referrer_url", PayloadFields.MAX_URL_CHARS),
                campaign, eventSource);

        // a valid key identifies the event, or it is refused with every broken rule
        List<String> dropped = OptionalFields.dropped(errors, AbleMapper::optional, !ids.isEmpty());
        if (dropped == null) return new MappingResult.Rejected(List.copyOf(errors), warnings, name, email);
        warnings.addAll(dropped);

        if (idempotencyKey == null && orderId != null) {
            // Able's rule: order_id + event_type identify a conversion within its funnel
            idempotencyKey = "able:" + in.funnelId() + ":" + name + ":" + orderId;
        }
        Person person = new Person(email, first(ids, IdentifierType.PHONE), firstName, lastName, null, attributes);
        Commerce commerce = new Commerce(value, currency, orderId, null, null, items);
        Event event = new Event(in.eventId(), in.workspace().id(), Source.ABLE, in.requestId(), in.receivedAt(),
                eventTime, name, ids, person, context, commerce, idempotencyKey, false,
                customData == null ? Map.of() : customData, in.rawPayload(), consent);
        return new MappingResult.Accepted(event, warnings);
    }

    /**
     * The optional identity and contact fields ({@link OptionalFields}): each value of a visitor key, the client's
     * IP and user agent, the lead's names, and the client and lead objects themselves. One that breaks its rule is
     * dropped with a warning when a valid key still identifies the event.
     */
    static boolean optional(String param) {
        return param.startsWith("resource.keys.") || param.equals("resource.client")
                || param.startsWith("resource.client.") || param.equals("resource.lead")
                || param.startsWith("resource.lead.");
    }

    /** Every supported key's values as identifiers; at least one is required. */
    private static List<Identifier> identifiers(PayloadFields r, String phoneRegion, List<String> warnings) {
        Map<String, Object> keys = r.object("keys");
        if (keys == null) {
            if (!r.has("keys")) r.error("keys", FieldError.MISSING, "resource.keys is required: at least one of "
                    + String.join(", ", KEYS.keySet()));
            return List.of();
        }
        warnUnknown(keys, KEYS.keySet(), "resource.keys.", warnings);
        List<Identifier> ids = new ArrayList<>();
        for (var entry : KEYS.entrySet()) {
            Object v = keys.get(entry.getKey());
            if (v == null) continue;
            List<Object> values = v instanceof List<?> list ? new ArrayList<>(list) : List.of(v);
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) continue;
                String param = entry.getKey() + (v instanceof List<?> ? "[" + i + "]" : "");
                PayloadFields one = new PayloadFields(Map.of(param, values.get(i)), "resource.keys.", r.errors());
                String value = switch (entry.getValue()) {
                    case EMAIL -> one.email(param);
                    case PHONE -> one.phone(param, phoneRegion);
                    // a number is its decimal text ("client_id": 12354 is "12354")
                    default -> values.get(i) instanceof String || values.get(i) instanceof Number
                            ? one.string(param) : nonString(one, param);
                };
                if (value != null) ids.add(new Identifier(entry.getValue(), value));
            }
        }
        if (ids.isEmpty() && r.errors().stream().noneMatch(e -> e.param().startsWith("resource.keys"))) {
            r.error("keys", FieldError.INVALID_VALUE, "resource.keys must have at least one value of a supported"
                    + " visitor key: " + String.join(", ", KEYS.keySet()));
        }
        return List.copyOf(ids);
    }

    private static String nonString(PayloadFields f, String param) {
        f.error(param, FieldError.INVALID_TYPE, f.param(param) + " must be a string (or a number) or an array of them");
        return null;
    }

    private static List<Item> items(PayloadFields r) {
        List<Object> raw = r.array("deal_items");
        if (raw == null) return List.of();
        List<Item> items = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String prefix = "resource.deal_items[" + i + "].";
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                r.error("deal_items[" + i + "]", FieldError.INVALID_TYPE, "resource.deal_items[" + i + "] must be an object");
                continue;
            }
            @SuppressWarnings("unchecked") Map<String, Object> item = (Map<String, Object>) m;
            PayloadFields f = new PayloadFields(item, prefix, r.errors());
            String name = f.requiredString("name");
            BigDecimal price = required(f, "price");
            BigDecimal qty = required(f, "qty");
            items.add(new Item(name, price, qty, f.string("sku"), f.string("category")));
        }
        return List.copyOf(items);
    }

    private static BigDecimal required(PayloadFields f, String name) {
        if (!f.has(name)) {
            f.error(name, FieldError.MISSING, f.param(name) + " is required");
            return null;
        }
        return f.nonNegativeAmount(name);
    }

    private static void warnUnknown(Map<String, Object> object, Set<String> known, String prefix, List<String> warnings) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                warnings.add("unknown field '" + prefix + PayloadFields.clip(key) + "' ignored (kept in the raw payload)");
            }
        }
    }

    private static String first(List<Identifier> ids, IdentifierType type) {
        return ids.stream().filter(i -> i.type() == type).map(Identifier::value).findFirst().orElse(null);
    }

    /**
     * A name from the lead form: only text counts (a form's other shapes stay in the attributes), within the limit,
     * without what no store can hold.
     */
    private static String leadName(Map<String, Object> lead, List<FieldError> errors, String key) {
        if (lead == null || !(lead.get(key) instanceof String)) return null;
        return new PayloadFields(lead, "resource.lead.", errors).text(key);
    }

    private static boolean isWebUrl(String s) {
        if (s == null) return false;
        String l = s.toLowerCase(Locale.ROOT);
        return l.startsWith("https://") || l.startsWith("http://");
    }
}
