package io.touchpoint.core.ingest;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.consent.ConsentState;

import java.util.HashMap;
import java.util.Map;

/**
 * A payload's {@code consent} object: {@code {"ad_storage": "granted", "analytics_storage": "denied", …}}, each of
 * Google Consent Mode v2's four signals {@code granted} or {@code denied} (any case), a signal left out unknown (the
 * workspace's default fills it), and, where the dialect allows it, the visitor's {@code region}. Anything else in it
 * is refused rather than ignored: a misspelt signal would otherwise fall back to the default unseen.
 */
final class ConsentFields {
    static final String FIELD = "consent";
    static final String REGION = "region";

    private ConsentFields() {
    }

    /** The consent {@code f} names under {@value #FIELD}; {@link Consent#UNKNOWN} when it names none or it is invalid. */
    static Consent read(PayloadFields f, boolean regionAllowed) {
        Map<String, Object> o = f.object(FIELD);
        if (o == null) return Consent.UNKNOWN;
        PayloadFields c = new PayloadFields(o, f.param(FIELD) + ".", f.errors());
        int before = f.errors().size();
        Map<String, ConsentState> states = new HashMap<>();
        String region = null;
        for (Map.Entry<String, Object> e : o.entrySet()) {
            String key = e.getKey();
            if (Consent.SIGNALS.contains(key)) {
                String v = c.string(key); // null: blank (not chosen), or not text (refused there)
                if (v == null) continue;
                ConsentState s = ConsentState.parse(v).orElse(null);
                if (s == null) {
                    c.error(key, FieldError.INVALID_VALUE, c.param(key) + " must be \"granted\" or \"denied\"");
                } else {
                    states.put(key, s);
                }
            } else if (regionAllowed && key.equals(REGION)) {
                String v = c.string(key);
                region = v == null ? null : ConsentSettings.region(v).orElse(null);
                if (v != null && region == null) {
                    c.error(key, FieldError.INVALID_VALUE, c.param(key) + " must be an ISO 3166 country code such as"
                            + " DE, or a subdivision such as US-CA");
                }
            } else {
                c.error(key, FieldError.INVALID_VALUE, "'" + PayloadFields.clip(key) + "' is not a consent signal;"
                        + " " + f.param(FIELD) + " takes " + String.join(", ", Consent.SIGNALS)
                        + (regionAllowed ? " and " + REGION : ""));
            }
        }
        if (f.errors().size() > before) return Consent.UNKNOWN;
        return Consent.of(states).withRegion(region);
    }
}
