package io.touchpoint.core.ingest;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Cometly events API dialect (docs/WIRE-FORMATS.md) → canonical event. */
public final class CometlyMapper implements DialectMapper {
    static final Set<String> KNOWN_FIELDS = Set.of(
            "event_name", "email", "fingerprint", "comet_token", "ip", "full_name", "first_name", "last_name",
            "user_agent", "phone", "event_time", "order_id", "order_name", "checkout_token", "amount",
            "idempotency_key", "url", "currency", "comet_source", "comet_network", "comet_campaign",
            "comet_ad_group", "comet_ad_id", "comet_keyword", "comet_type", "comet_placement", "do_not_capi",
            ConsentFields.FIELD);

    public static final String IDENTITY_RULE =
            "an event needs email, or fingerprint and ip together, or comet_token";
    /**
     * The optional identity and contact fields: one that breaks its rule is dropped with a warning when the event is
     * identified without it ({@link OptionalFields}).
     */
    static final Set<String> OPTIONAL_FIELDS = Set.of("email", "phone", "fingerprint", "comet_token", "ip",
            "user_agent", "first_name", "last_name", "full_name");

    private final boolean acceptsTestEvent;

    public CometlyMapper() {
        this(false);
    }

    private CometlyMapper(boolean acceptsTestEvent) {
        this.acceptsTestEvent = acceptsTestEvent;
    }

    /** The same dialect and rules, also accepting {@link EventNames#TEST_EVENT}: for the dashboard's test events. */
    public static CometlyMapper forTestEvents() {
        return new CometlyMapper(true);
    }

    @Override
    public MappingResult map(IngestInput in) {
        Map<String, Object> body = in.body();
        List<FieldError> errors = new ArrayList<>();
        PayloadFields f = new PayloadFields(body, errors);
        List<String> warnings = unknownFieldWarnings(body);

        String eventName = f.requiredString("event_name");
        if (eventName != null && !EventNames.isCometlyName(eventName)
                && !(acceptsTestEvent && EventNames.TEST_EVENT.equals(eventName))) {
            String hint = EventNames.suggest(eventName).map(s -> " (did you mean '" + s + "'?)").orElse("");
            f.error("event_name", FieldError.INVALID_VALUE, "event_name '" + PayloadFields.clip(eventName)
                    + "' is not accepted" + hint + "; use one of " + EventNames.describeAccepted());
        }
        String email = f.email("email");
        String fingerprint = f.string("fingerprint");
        String cometToken = f.string("comet_token");
        String ip = f.ip("ip");
        String phone = f.phone("phone", in.workspace().settings().phoneRegion());
        Instant eventTime = f.eventTime("event_time", in.receivedAt());
        BigDecimal amount = f.nonNegativeAmount("amount");
        String currency = f.currency("currency");
        Boolean doNotCapi = f.bool("do_not_capi");
        Consent consent = ConsentFields.read(f, true);

        // the identity rule is judged on what was sent, so an invalid email reports its own error instead
        boolean sent = f.has("email") || (f.has("fingerprint") && f.has("ip")) || f.has("comet_token");
        if (!sent) {
            String param = !f.has("fingerprint") && f.has("ip") ? "fingerprint" : f.has("fingerprint") ? "ip" : "email";
            f.error(param, FieldError.IDENTITY_REQUIRED, "not enough to identify the visitor: " + IDENTITY_RULE);
        }

        // free text drops what no store can hold; fields that name or key something were refused for it above
        Person person = new Person(email, phone, f.text("first_name"), f.text("last_name"),
                f.text("full_name"), Map.of());
        Context context = new Context(ip, f.text("user_agent", PayloadFields.MAX_URL_CHARS),
                f.text("url", PayloadFields.MAX_URL_CHARS), null, new Campaign(
                f.text("comet_source"), null, f.text("comet_campaign"), null, null, f.text("comet_network"),
                f.text("comet_ad_group"), f.text("comet_ad_id"), f.text("comet_keyword"),
                f.text("comet_type"), f.text("comet_placement")), null);
        String orderId = f.string("order_id");
        String orderName = f.text("order_name");
        String checkoutToken = f.string("checkout_token");
        String idempotencyKey = f.string("idempotency_key", PayloadFields.MAX_KEY_CHARS);

        // what did not break its rule identifies the event, or it is refused with every broken rule
        boolean identified = email != null || (fingerprint != null && ip != null) || cometToken != null;
        List<String> dropped = OptionalFields.dropped(errors, OPTIONAL_FIELDS::contains, identified);
        if (dropped == null) {
            return new MappingResult.Rejected(List.copyOf(errors), warnings, eventName, email);
        }
        warnings.addAll(dropped);
        List<Identifier> ids = new ArrayList<>(4);
        if (email != null) ids.add(new Identifier(IdentifierType.EMAIL, email));
        if (phone != null) ids.add(new Identifier(IdentifierType.PHONE, phone));
        if (cometToken != null) ids.add(new Identifier(IdentifierType.VISITOR_TOKEN, cometToken));
        if (fingerprint != null) ids.add(new Identifier(IdentifierType.FINGERPRINT, fingerprint));
        String effectiveCurrency = currency != null ? currency
                : amount != null ? in.workspace().settings().currency() : null;
        Commerce commerce = new Commerce(amount, effectiveCurrency, orderId, orderName, checkoutToken, List.of());
        Event event = new Event(in.eventId(), in.workspace().id(), Source.COMETLY, in.requestId(), in.receivedAt(),
                eventTime, eventName, ids, person, context, commerce, idempotencyKey,
                Boolean.TRUE.equals(doNotCapi), Map.of(), in.rawPayload(), consent);
        return new MappingResult.Accepted(event, warnings);
    }

    private static List<String> unknownFieldWarnings(Map<String, Object> body) {
        List<String> warnings = new ArrayList<>(0);
        for (String key : body.keySet()) {
            if (!KNOWN_FIELDS.contains(key)) {
                warnings.add("unknown field '" + PayloadFields.clip(key) + "' ignored (kept in the raw payload)");
            }
        }
        return warnings;
    }
}
