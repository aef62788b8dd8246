package io.touchpoint.core.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rule for a malformed optional field (docs/ERRORS.md, "A malformed optional field never costs the event"): an
 * optional identity or contact field (an email, a phone, a visitor token or key, an IP address, a user agent, a
 * name) that breaks its rule is dropped and named in a warning, as long as something valid still identifies the
 * event and no other rule is broken. Only when nothing valid identifies the event, or a field that says what the
 * event is (its name or type, time, value, currency, order, items, idempotency key) is wrong, is the event refused,
 * and then every broken rule is reported, the optional fields' included. A dropped value is never stored in the
 * event; the raw payload keeps it as sent.
 */
public final class OptionalFields {
    private OptionalFields() {
    }

    /**
     * The warnings for the broken rules of optional fields, or null when the event must be refused: when it is not
     * {@code identified} or a rule of another field is broken.
     *
     * @param errors   every broken rule of the payload, in the order read
     * @param optional which params ({@link FieldError#param()}) are optional identity or contact fields
     */
    static List<String> dropped(List<FieldError> errors, Predicate<String> optional, boolean identified) {
        if (!identified) return null;
        List<String> warnings = new ArrayList<>(0);
        for (FieldError e : errors) {
            if (!optional.test(e.param())) return null;
            warnings.add(warning(e));
        }
        return warnings;
    }

    /**
     * The warning for a dropped field, which names it and says why, in the style of the unknown fields' warnings:
     * "invalid field 'phone' dropped (kept in the raw payload): phone is not a phone number: '555-1234'".
     */
    public static String warning(FieldError e) {
        return "invalid field '" + e.param() + "' dropped (kept in the raw payload): " + e.message();
    }
}
