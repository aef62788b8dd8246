package io.touchpoint.core.ingest;

import io.touchpoint.core.normalize.Emails;
import io.touchpoint.core.normalize.IpAddresses;
import io.touchpoint.core.normalize.Phones;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, normalising reads of one JSON object's fields, collecting every broken rule instead of
 * stopping at the first. {@code prefix} names nested objects in errors ("resource.deal_value").
 * Blank strings count as absent: form tools send "" for empty inputs.
 */
public final class PayloadFields {
    /**
     * JSON numbers are short but their exponent is not bounded: written out or rescaled, 1e999999999 is a
     * billion digits (minutes of CPU, a gigabyte of memory). No amount reaches 10^15 in any currency.
     */
    static final int MAX_AMOUNT_INTEGER_DIGITS = 15;
    /** The longest number read as text; Jackson's own limit on a number's length is 1,000 characters. */
    static final int MAX_NUMBER_TEXT_LENGTH = 1_000;
    /** Beyond this no currency or price has meaning, and 1e-999999999 must not reach anything that prints it. */
    static final int MAX_AMOUNT_DECIMALS = 12;

    /**
     * The longest text field, unless a field has its own limit below: names, ids, campaign values, tokens. At three
     * UTF-8 bytes a character at most, such a value still fits an index entry of PostgreSQL (about 2,700 bytes).
     */
    public static final int MAX_TEXT_CHARS = 500;
    /** Idempotency keys are indexed for uniqueness, and a key longer than this is not an id but a payload. */
    public static final int MAX_KEY_CHARS = 255;
    /** URLs: no common server accepts a longer request line, so no page a visitor saw has a longer one. */
    public static final int MAX_URL_CHARS = 8_192;
    /** Free text a person wrote, such as a lead form's message. */
    public static final int MAX_LONG_TEXT_CHARS = 10_000;

    private final Map<String, Object> body;
    private final String prefix;
    private final List<FieldError> errors;

    public PayloadFields(Map<String, Object> body, String prefix, List<FieldError> errors) {
        this.body = body;
        this.prefix = prefix;
        this.errors = errors;
    }

    public PayloadFields(Map<String, Object> body, List<FieldError> errors) {
        this(body, "", errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public String param(String name) {
        return prefix + name;
    }

    public boolean has(String name) {
        Object v = body.get(name);
        return v != null && !(v instanceof String s && s.isBlank());
    }

    public void error(String name, String code, String message) {
        errors.add(new FieldError(param(name), code, message));
    }

    /**
     * A text field of at most {@link #MAX_TEXT_CHARS}; numbers are taken as their decimal text (order ids are often
     * numeric). A value holding a character no store can hold ({@link StorableText}) is refused: it names or keys
     * something, so changing it would make it name something else.
     */
    public String string(String name) {
        return string(name, MAX_TEXT_CHARS);
    }

    /** A text field of at most {@code maxChars} characters once stripped; a longer one is a {@code too_long} error. */
    public String string(String name, int maxChars) {
        String s = anyLength(name);
        if (s != null && s.length() > maxChars) {
            error(name, FieldError.TOO_LONG, param(name) + " is " + s.length() + " characters long; at most "
                    + maxChars + " are accepted");
            return null;
        }
        return s;
    }

    /** A text field of any length, for callers that cut it to size themselves. */
    public String anyLength(String name) {
        Object v = body.get(name);
        if (v == null) return null;
        if (v instanceof String s) {
            if (s.isBlank()) return null;
            if (!StorableText.storable(s)) {
                error(name, FieldError.INVALID_CHARACTER, param(name) + " contains " + StorableText.describeFirst(s)
                        + ", a character that cannot be stored; remove it");
                return null;
            }
            return s.strip();
        }
        if (v instanceof BigDecimal bd) {
            if (plainLength(bd) <= MAX_NUMBER_TEXT_LENGTH) return bd.toPlainString();
            error(name, FieldError.INVALID_VALUE,
                    param(name) + " is a number too long to read as text; send it as a string");
            return null;
        }
        if (v instanceof Number n) return n.toString();
        error(name, FieldError.INVALID_TYPE, param(name) + " must be a string");
        return null;
    }

    /**
     * Free text (a name, a URL, a campaign label): as {@link #string}, but characters no store can hold are dropped
     * rather than refused, since the text means the same without them.
     */
    public String text(String name) {
        return text(name, MAX_TEXT_CHARS);
    }

    /** Free text of at most {@code maxChars} characters once stripped; a longer one is a {@code too_long} error. */
    public String text(String name, int maxChars) {
        Object v = body.get(name);
        if (v instanceof String s) {
            String kept = StorableText.strip(s).strip();
            if (kept.isEmpty()) return null;
            if (kept.length() > maxChars) {
                error(name, FieldError.TOO_LONG, param(name) + " is " + kept.length() + " characters long; at most "
                        + maxChars + " are accepted");
                return null;
            }
            return kept;
        }
        return string(name, maxChars);
    }

    /** The length of {@code d.toPlainString()}, without building it. */
    private static long plainLength(BigDecimal d) {
        long digits = d.precision();
        long scale = d.scale();
        if (d.signum() == 0 && scale <= 0) return 1; // "0", whatever the exponent
        long length = scale <= 0 ? digits - scale : Math.max(digits, scale + 1) + 1;
        return length + (d.signum() < 0 ? 1 : 0);
    }

    public String requiredString(String name) {
        if (!body.containsKey(name) || body.get(name) == null || !has(name)) {
            error(name, FieldError.MISSING, param(name) + " is required");
            return null;
        }
        return string(name);
    }

    /** A number ≥ 0; numeric text such as "34.5" is accepted too. */
    public BigDecimal nonNegativeAmount(String name) {
        Object v = body.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) return null;
        BigDecimal d = null;
        if (v instanceof BigDecimal bd) d = bd;
        else if (v instanceof Number n) d = new BigDecimal(n.toString());
        else if (v instanceof String s) {
            try {
                d = new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        if (d == null) {
            error(name, FieldError.INVALID_TYPE, param(name) + " must be a number");
            return null;
        }
        if (d.signum() < 0) {
            error(name, FieldError.INVALID_VALUE, param(name) + " must be zero or more, got " + clip(d.toString()));
            return null;
        }
        if (d.signum() != 0 && d.precision() - d.scale() > MAX_AMOUNT_INTEGER_DIGITS) {
            error(name, FieldError.INVALID_VALUE, param(name) + " is too large: at most "
                    + MAX_AMOUNT_INTEGER_DIGITS + " digits before the decimal point");
            return null;
        }
        BigDecimal exact = d.stripTrailingZeros();
        if (exact.scale() > MAX_AMOUNT_DECIMALS) {
            error(name, FieldError.INVALID_VALUE, param(name) + " has too many decimals: at most "
                    + MAX_AMOUNT_DECIMALS + " after the decimal point");
            return null;
        }
        return exact.scale() < 0 ? exact.setScale(0) : exact;
    }

    public Boolean bool(String name) {
        Object v = body.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) return null;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        error(name, FieldError.INVALID_TYPE, param(name) + " must be true or false");
        return null;
    }

    public String email(String name) {
        String raw = string(name);
        if (raw == null) return null;
        var email = Emails.normalize(raw);
        if (email.isEmpty()) error(name, FieldError.INVALID_VALUE, param(name) + " is not a valid email address");
        return email.orElse(null);
    }

    /** A phone number as text or a JSON number, normalised to digits with country code. */
    public String phone(String name, String defaultRegion) {
        String raw = string(name);
        if (raw == null) return null;
        var phone = Phones.normalize(raw, defaultRegion);
        if (phone.isEmpty()) {
            error(name, FieldError.INVALID_VALUE, param(name) + " is not a phone number: '" + clip(raw) + "'");
        }
        return phone.orElse(null);
    }

    public String ip(String name) {
        String raw = string(name);
        if (raw == null) return null;
        var ip = IpAddresses.normalize(raw);
        if (ip.isEmpty()) error(name, FieldError.INVALID_VALUE, param(name) + " is not an IPv4 or IPv6 address");
        return ip.orElse(null);
    }

    /** An ISO 4217 code (case-insensitive on input, upper case stored). */
    public String currency(String name) {
        String raw = string(name);
        if (raw == null) return null;
        String code = raw.toUpperCase(Locale.ROOT);
        try {
            // codes without minor units (XAU gold, XXX none, XTS testing) are not money an ad platform takes
            if (code.length() == 3 && Currency.getInstance(code).getDefaultFractionDigits() >= 0) {
                return Currency.getInstance(code).getCurrencyCode();
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error
        }
        error(name, FieldError.INVALID_VALUE, param(name) + " must be an ISO 4217 currency code such as USD, got '"
                + clip(raw) + "'");
        return null;
    }

    /** The event time, defaulting to {@code receivedAt}; times more than a few minutes ahead are refused. */
    public Instant eventTime(String name, Instant receivedAt) {
        Object v = body.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) return receivedAt;
        var parsed = EventTimes.parse(v);
        if (parsed.isEmpty()) {
            error(name, FieldError.INVALID_VALUE, param(name)
                    + " must be unix seconds, unix milliseconds or an ISO-8601 time such as 2024-05-01T12:00:00Z");
            return null;
        }
        Instant t = parsed.get();
        if (t.isAfter(receivedAt.plus(EventTimes.MAX_FUTURE_SKEW))) {
            error(name, FieldError.INVALID_VALUE, param(name) + " is in the future (" + describe(t)
                    + "); at most " + EventTimes.MAX_FUTURE_SKEW.toMinutes() + " minutes of clock skew is allowed");
            return null;
        }
        if (t.isBefore(EventTimes.EARLIEST)) {
            error(name, FieldError.INVALID_VALUE, param(name) + " is before the year 2000 (" + describe(t)
                    + "); send UTC unix seconds");
            return null;
        }
        return t;
    }

    /** A nested JSON object, or null when absent; a non-object is an error. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String name) {
        Object v = body.get(name);
        if (v == null) return null;
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        error(name, FieldError.INVALID_TYPE, param(name) + " must be a JSON object");
        return null;
    }

    /** A nested JSON array, or null when absent; a non-array is an error. */
    public List<Object> array(String name) {
        Object v = body.get(name);
        if (v == null) return null;
        if (v instanceof List<?> l) return new ArrayList<>(l);
        error(name, FieldError.INVALID_TYPE, param(name) + " must be a JSON array");
        return null;
    }

    /**
     * An optional array of strings; null when absent or when it is not one (an error then). A string holding a
     * character no store can hold ({@link StorableText}) is refused, as {@link #string} refuses it.
     */
    public List<String> strings(String name) {
        if (!has(name)) return null;
        List<Object> raw = array(name);
        if (raw == null) return null;
        List<String> out = new ArrayList<>();
        for (Object o : raw) {
            if (!(o instanceof String s)) {
                error(name, FieldError.INVALID_TYPE, param(name) + " must be an array of strings");
                return null;
            }
            if (!StorableText.storable(s)) {
                error(name, FieldError.INVALID_CHARACTER, param(name) + " contains " + StorableText.describeFirst(s)
                        + ", a character that cannot be stored; remove it");
                return null;
            }
            out.add(s);
        }
        return out;
    }

    private static String describe(Instant t) {
        return t.equals(Instant.MAX) || t.equals(Instant.MIN) ? "out of range" : t.toString();
    }

    /** A value shown in a message: at most 40 characters, with any a store cannot hold escaped (messages are logged). */
    static String clip(String s) {
        String shown = s.length() <= 40 ? s : s.substring(0, 40) + "…";
        return StorableText.escape(shown);
    }
}
