package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The per-event rules of Meta's Conversions API (server event, customer information and custom data
 * parameters). A rule Meta enforces synchronously yields a {@link Rejection} (the whole batch is refused);
 * a documented rule Meta is known to let through (e.g. client_user_agent on website events, accepted
 * in a live probe) is only reported as advice, so the fake answers as Meta does yet tests still see it.
 */
final class MetaEventRules {
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(1);
    static final Set<String> ACTION_SOURCES = Set.of("website", "email", "app", "phone_call", "chat",
            "physical_store", "system_generated", "business_messaging", "other");
    static final String PARAMETER_ERROR_TITLE = "Server Side Api Parameter Error";

    private static final Set<String> EVENT_KEYS = Set.of("event_name", "event_time", "user_data", "custom_data",
            "event_source_url", "opt_out", "event_id", "action_source", "data_processing_options",
            "data_processing_options_country", "data_processing_options_state", "referrer_url",
            "customer_segmentation", "app_data", "original_event_data", "attribution_data", "messaging_channel");
    /** Customer information parameters that must be SHA-256 digests. */
    private static final List<String> HASHED = List.of("em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country");
    /** Any of these makes an event matchable at all (Meta's "customer information parameters"). */
    private static final Set<String> CUSTOMER_INFO = Set.of("em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp",
            "country", "external_id", "client_ip_address", "client_user_agent", "fbc", "fbp", "subscription_id",
            "fb_login_id", "lead_id", "anon_id", "madid", "page_id", "page_scoped_user_id", "ctwa_clid",
            "ig_account_id", "ig_sid");
    private static final Pattern FBC = Pattern.compile("fb\\.[0-2]\\.\\d{13}\\.\\S+");
    private static final Pattern FBP = Pattern.compile("fb\\.[0-2]\\.\\d{13}\\.\\d+");

    /** Why Meta refuses the batch: its error_subcode, error_user_title and error_user_msg. */
    record Rejection(int subcode, String title, String message) {
    }

    private MetaEventRules() {
    }

    /**
     * Meta's data processing options: an array of options, of which only "LDU" exists (empty turns it off), and the
     * place codes it knows: country 1 (the United States) or 0 (Meta geolocates), state 1000 (California) or 0.
     */
    private static Rejection dataProcessingOptions(String at, JsonNode event) {
        JsonNode options = event.get("data_processing_options");
        if (options != null) {
            if (!options.isArray()) {
                return parameterError("The parameter " + at + "['data_processing_options'] must be an array.");
            }
            for (JsonNode o : options) {
                if (!o.isTextual() || !o.asText().equals("LDU")) {
                    return parameterError("Invalid data processing option " + o + " in " + at + ": the only option is \"LDU\".");
                }
            }
        }
        Map<String, Set<Long>> codes = Map.of("data_processing_options_country", Set.of(0L, 1L),
                "data_processing_options_state", Set.of(0L, 1000L));
        for (Map.Entry<String, Set<Long>> c : codes.entrySet()) {
            JsonNode v = event.get(c.getKey());
            if (v == null) continue;
            Long code = ContractChecks.integral(v);
            if (code == null || !c.getValue().contains(code)) {
                return parameterError("The parameter " + at + "['" + c.getKey() + "'] is not a known location code: " + v + ".");
            }
        }
        return null;
    }

    /** The first rule event {@code index} breaks that Meta enforces, or null; advisory findings go to {@code advice}. */
    static Rejection check(int index, JsonNode event, Instant now, Consumer<String> advice) {
        String at = "$['data'][" + index + "]";
        if (!event.isObject()) {
            return parameterError("The parameter " + at + " must be an object.");
        }
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!EVENT_KEYS.contains(name)) {
                return parameterError("Unexpected key \"" + name + "\" on param \"" + at + "\".");
            }
        }
        Rejection options = dataProcessingOptions(at, event);
        if (options != null) {
            return options;
        }
        if (!event.path("event_name").isTextual() || event.path("event_name").asText().isBlank()) {
            return parameterError("The parameter " + at + "['event_name'] is required.");
        }
        Rejection time = checkTime(at, event.get("event_time"), now);
        if (time != null) {
            return time;
        }
        JsonNode source = event.get("action_source");
        if (source == null || !source.isTextual()) {
            return parameterError("The parameter " + at + "['action_source'] is required.");
        }
        if (!ACTION_SOURCES.contains(source.asText())) {
            return parameterError("The value '" + source.asText() + "' of the parameter " + at
                    + "['action_source'] is not one of " + ACTION_SOURCES + ".");
        }
        JsonNode user = event.get("user_data");
        if (user == null || !user.isObject()) {
            return parameterError("The parameter " + at + "['user_data'] is required");
        }
        Rejection userRejection = checkUserData(at + "['user_data']", user, advice);
        if (userRejection != null) {
            return userRejection;
        }
        Rejection custom = checkCustomData(at + "['custom_data']", event.get("custom_data"),
                event.path("event_name").asText(), advice);
        if (custom != null) {
            return custom;
        }
        if ("website".equals(source.asText())) {
            if (!event.path("event_source_url").isTextual()) {
                advice.accept(at + "['event_source_url'] is required for website events (Meta accepts the event but documents the field as required)");
            }
            if (!user.path("client_user_agent").isTextual()) {
                advice.accept(at + "['user_data']['client_user_agent'] is required for website events (Meta accepts the event but documents the field as required)");
            }
        }
        return null;
    }

    private static Rejection checkTime(String at, JsonNode value, Instant now) {
        Long seconds = ContractChecks.integral(value);
        if (value == null || value.isNull()) {
            return parameterError("The parameter " + at + "['event_time'] is required.");
        }
        if (seconds == null) {
            return parameterError("The parameter " + at + "['event_time'] must be an integer (Unix time in seconds).");
        }
        Instant time = Instant.ofEpochSecond(seconds);
        if (time.isBefore(now.minus(MAX_AGE))) {
            return new Rejection(2804003, "Event Timestamp Too Old",
                    "The timestamp for this event is too far in the past. Events need to be sent from your server within "
                            + "7 days of when they occurred. Enter a timestamp that has occurred within the last 7 days.");
        }
        if (time.isAfter(now.plus(FUTURE_TOLERANCE))) {
            return parameterError("The parameter " + at + "['event_time'] is in the future.");
        }
        return null;
    }

    private static Rejection checkUserData(String at, JsonNode user, Consumer<String> advice) {
        boolean anyCustomerInfo = false;
        for (Iterator<String> names = user.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            List<String> values = ContractChecks.stringOrStrings(user.get(name));
            if (CUSTOMER_INFO.contains(name) && values != null && values.stream().anyMatch(v -> !v.isBlank())) {
                anyCustomerInfo = true;
            }
        }
        if (!anyCustomerInfo) {
            return new Rejection(2804050, "You haven't added sufficient customer information parameter data for this event",
                    "This event has no customer information parameters, or it has a combination of customer information "
                            + "parameters that's too broad to be effective for matching. You can fix this by going to the parameter "
                            + "best practices on developers.facebook.com/docs/marketing-api/conversions-api/best-practices/#req-rec-params");
        }
        for (String name : HASHED) {
            List<String> values = ContractChecks.stringOrStrings(user.get(name));
            if (values == null) {
                return parameterError("The parameter " + at + "['" + name + "'] must be a string or an array of strings.");
            }
            for (int i = 0; i < values.size(); i++) {
                if (!ContractChecks.isSha256Hex(values.get(i))) {
                    return parameterError("The parameter " + at + "['" + name + "'][" + i
                            + "] must be a SHA-256 hash in lower-case hexadecimal; it looks unhashed or malformed.");
                }
            }
        }
        List<String> externalIds = ContractChecks.stringOrStrings(user.get("external_id"));
        if (externalIds != null && externalIds.stream().anyMatch(v -> !ContractChecks.isSha256Hex(v))) {
            advice.accept(at + "['external_id'] should be a SHA-256 hash (Meta recommends hashing it)");
        }
        for (String clear : List.of("client_ip_address", "client_user_agent", "fbc", "fbp")) {
            JsonNode value = user.get(clear);
            if (value != null && ContractChecks.looksHashed(value.asText())) {
                advice.accept(at + "['" + clear + "'] must be sent in clear, not hashed");
            }
        }
        JsonNode fbc = user.get("fbc");
        if (fbc != null && !FBC.matcher(fbc.asText()).matches()) {
            advice.accept(at + "['fbc'] is not of the form fb.1.<creation time ms>.<fbclid>: " + fbc.asText());
        }
        JsonNode fbp = user.get("fbp");
        if (fbp != null && !FBP.matcher(fbp.asText()).matches()) {
            advice.accept(at + "['fbp'] is not of the form fb.1.<creation time ms>.<random number>: " + fbp.asText());
        }
        return null;
    }

    private static Rejection checkCustomData(String at, JsonNode custom, String eventName, Consumer<String> advice) {
        if (custom == null || custom.isNull()) {
            if ("Purchase".equals(eventName)) {
                advice.accept(at + " with value and currency is required for Purchase events");
            }
            return null;
        }
        if (!custom.isObject()) {
            return parameterError("The parameter " + at + " must be an object.");
        }
        JsonNode value = custom.get("value");
        if (value != null && !ContractChecks.isNumeric(value)) {
            return parameterError("The parameter " + at + "['value'] must be a number.");
        }
        if (value != null) {
            JsonNode currency = custom.get("currency");
            if (currency == null || !currency.isTextual()) {
                return parameterError("The parameter " + at + "['currency'] is required when " + at + "['value'] is set.");
            }
            if (!ContractChecks.isIsoCurrency(currency.asText(), true)) {
                return parameterError("The parameter " + at + "['currency'] must be a valid ISO 4217 currency code: "
                        + currency.asText());
            }
        } else if ("Purchase".equals(eventName)) {
            advice.accept(at + "['value'] and ['currency'] are required for Purchase events");
        }
        return null;
    }

    private static Rejection parameterError(String message) {
        return new Rejection(2804019, PARAMETER_ERROR_TITLE, message);
    }
}
