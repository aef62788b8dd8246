package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Measurement Protocol's documented limits and reserved names, reported the way its validation server
 * ({@code /debug/mp/collect}) does: fieldPath, description, validationCode. Each message says whether it
 * concerns the whole request (GA then drops everything) or one event (GA drops that event).
 */
final class Ga4Validation {
    static final int MAX_EVENTS = 25;
    static final int MAX_PARAMS = 25;
    static final int MAX_USER_PROPERTIES = 25;
    static final int MAX_NAME = 40;
    static final int MAX_VALUE = 100;
    static final int MAX_USER_PROPERTY_NAME = 24;
    static final int MAX_USER_PROPERTY_VALUE = 36;
    static final Duration MAX_BACKDATE = Duration.ofHours(72);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final List<String> RESERVED_PREFIXES = List.of("firebase_", "ga_", "google_", "gtag.");
    private static final Set<String> RESERVED_EVENTS = Set.of("ad_activeview", "ad_click", "ad_exposure", "ad_query", "ad_reward",
            "adunit_exposure", "app_clear_data", "app_exception", "app_install", "app_remove", "app_store_refund", "app_update",
            "app_upgrade", "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error", "firebase_campaign",
            "firebase_in_app_message_action", "firebase_in_app_message_dismiss", "firebase_in_app_message_impression", "first_open",
            "first_visit", "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open",
            "notification_receive", "notification_send", "os_update", "screen_view", "session_start", "user_engagement");
    private static final Set<String> CONSENT_FIELDS = Set.of("ad_user_data", "ad_personalization");
    private static final Set<String> CONSENT_VALUES = Set.of("GRANTED", "DENIED");
    private static final Set<String> RESERVED_PARAMS = Set.of("firebase_conversion");
    private static final Set<String> RESERVED_USER_PROPERTIES = Set.of("first_open_time", "first_visit_time",
            "last_deep_link_referrer", "user_id", "first_open_after_install");

    /** One validation message; eventIndex is -1 when the whole request is at fault. */
    record Message(int eventIndex, String fieldPath, String description, String validationCode) {
        Map<String, String> asJson() {
            return Map.of("fieldPath", fieldPath, "description", description, "validationCode", validationCode);
        }
    }

    private Ga4Validation() {
    }

    static List<Message> validate(JsonNode body, Instant now) {
        List<Message> messages = new ArrayList<>();
        if (body == null || !body.isObject()) {
            messages.add(new Message(-1, "", "Unable to parse Measurement Protocol JSON payload.", "VALUE_INVALID"));
            return messages;
        }
        JsonNode clientId = body.get("client_id");
        if (clientId == null || clientId.isNull()) {
            messages.add(new Message(-1, "client_id", "Measurement requires a client_id.", "VALUE_REQUIRED"));
        } else if (!clientId.isTextual() || clientId.asText().isBlank()) {
            messages.add(new Message(-1, "client_id", "client_id must be a non-empty string.", "VALUE_INVALID"));
        }
        checkTimestamp(body.get("timestamp_micros"), now, messages);
        checkUserProperties(body.get("user_properties"), messages);
        checkConsent(body.get("consent"), messages);
        JsonNode events = body.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            messages.add(new Message(-1, "events", "Measurement requires at least one event.", "VALUE_REQUIRED"));
            return messages;
        }
        if (events.size() > MAX_EVENTS) {
            messages.add(new Message(-1, "events", "A maximum of " + MAX_EVENTS + " events can be specified per request.", "EXCEEDED_MAX_ENTITIES"));
        }
        for (int i = 0; i < events.size(); i++) {
            checkEvent(i, events.get(i), messages);
        }
        return messages;
    }

    private static void checkTimestamp(JsonNode micros, Instant now, List<Message> messages) {
        if (micros == null || micros.isNull()) {
            return;
        }
        Long value = ContractChecks.integral(micros);
        if (value == null) {
            messages.add(new Message(-1, "timestamp_micros", "timestamp_micros must be an integer number of microseconds.", "VALUE_INVALID"));
            return;
        }
        Instant at = Instant.ofEpochSecond(value / 1_000_000, (value % 1_000_000) * 1000);
        if (at.isBefore(now.minus(MAX_BACKDATE))) {
            messages.add(new Message(-1, "timestamp_micros", "timestamp_micros [" + value + "] is more than 72 hours in the past.", "VALUE_OUT_OF_BOUNDS"));
        } else if (at.isAfter(now.plus(Duration.ofMinutes(1)))) {
            messages.add(new Message(-1, "timestamp_micros", "timestamp_micros [" + value + "] is in the future.", "VALUE_INVALID"));
        }
    }

    /** The request's consent: ad_user_data and ad_personalization, each GRANTED or DENIED. */
    private static void checkConsent(JsonNode consent, List<Message> messages) {
        if (consent == null || consent.isNull()) {
            return;
        }
        if (!consent.isObject()) {
            messages.add(new Message(-1, "consent", "consent must be an object.", "VALUE_INVALID"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = consent.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!CONSENT_FIELDS.contains(field.getKey())) {
                messages.add(new Message(-1, "consent." + field.getKey(), "Unknown consent field [" + field.getKey() + "].", "NAME_INVALID"));
            } else if (!field.getValue().isTextual() || !CONSENT_VALUES.contains(field.getValue().asText())) {
                messages.add(new Message(-1, "consent." + field.getKey(), "consent." + field.getKey() + " must be GRANTED or DENIED.", "VALUE_INVALID"));
            }
        }
    }

    private static void checkUserProperties(JsonNode properties, List<Message> messages) {
        if (properties == null || properties.isNull()) {
            return;
        }
        if (properties.size() > MAX_USER_PROPERTIES) {
            messages.add(new Message(-1, "user_properties", "A maximum of " + MAX_USER_PROPERTIES + " user properties can be specified.", "EXCEEDED_MAX_ENTITIES"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = property.getKey();
            if (RESERVED_USER_PROPERTIES.contains(name) || reservedPrefix(name)) {
                messages.add(new Message(-1, "user_properties", "User property [" + name + "] is reserved.", "NAME_RESERVED"));
            } else if (!NAME.matcher(name).matches() || name.length() > MAX_USER_PROPERTY_NAME) {
                messages.add(new Message(-1, "user_properties", "User property [" + name + "] has an invalid name. Names must start with an "
                        + "alphabetic character, contain only alphanumeric characters and underscores, and be at most 24 characters.", "NAME_INVALID"));
            }
            String value = property.getValue().path("value").asText("");
            if (value.length() > MAX_USER_PROPERTY_VALUE) {
                messages.add(new Message(-1, "user_properties", "User property [" + name + "] has a value longer than 36 characters.", "VALUE_OUT_OF_BOUNDS"));
            }
        }
    }

    private static void checkEvent(int i, JsonNode event, List<Message> messages) {
        String name = event.path("name").asText(null);
        if (name == null || name.isEmpty()) {
            messages.add(new Message(i, "events", "Event at index: [" + i + "] requires a name.", "VALUE_REQUIRED"));
            return;
        }
        String nameProblem = nameProblem(name);
        if (RESERVED_EVENTS.contains(name) || reservedPrefix(name)) {
            messages.add(new Message(i, "events", "Event at index: [" + i + "] has name [" + name + "] which is reserved.", "NAME_RESERVED"));
        } else if (nameProblem != null) {
            messages.add(new Message(i, "events", "Event at index: [" + i + "] has invalid name [" + name + "]. " + nameProblem, "NAME_INVALID"));
        }
        JsonNode params = event.get("params");
        if (params == null || params.isNull()) {
            params = FakePlatform.JSON.createObjectNode();
        }
        if (params.size() > MAX_PARAMS) {
            messages.add(new Message(i, "events.params", "Event at index: [" + i + "] has more than " + MAX_PARAMS + " parameters.", "EXCEEDED_MAX_ENTITIES"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> param = it.next();
            checkParam(i, "events.params", param.getKey(), param.getValue(), messages);
        }
        checkItems(i, params.get("items"), messages);
        checkMoney(i, name, params, messages);
    }

    private static void checkParam(int i, String path, String name, JsonNode value, List<Message> messages) {
        String problem = nameProblem(name);
        if (RESERVED_PARAMS.contains(name) || reservedPrefix(name)) {
            messages.add(new Message(i, path, "Event at index: [" + i + "] has parameter [" + name + "] which is reserved.", "NAME_RESERVED"));
        } else if (problem != null) {
            messages.add(new Message(i, path, "Event at index: [" + i + "] has invalid parameter name [" + name + "]. " + problem, "NAME_INVALID"));
        }
        if (value.isTextual() && value.asText().length() > MAX_VALUE) {
            messages.add(new Message(i, path, "Event at index: [" + i + "] has parameter [" + name + "] with a value longer than "
                    + MAX_VALUE + " characters.", "VALUE_OUT_OF_BOUNDS"));
        }
    }

    private static void checkItems(int i, JsonNode items, List<Message> messages) {
        if (items == null || items.isNull()) {
            return;
        }
        if (!items.isArray()) {
            messages.add(new Message(i, "events.params.items", "Event at index: [" + i + "] has items that are not an array.", "VALUE_INVALID"));
            return;
        }
        for (int j = 0; j < items.size(); j++) {
            JsonNode item = items.get(j);
            if (!item.hasNonNull("item_id") && !item.hasNonNull("item_name")) {
                messages.add(new Message(i, "events.params.items", "Item at index: [" + j + "] of event at index: [" + i
                        + "] requires item_id or item_name.", "VALUE_REQUIRED"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> param = it.next();
                checkParam(i, "events.params.items", param.getKey(), param.getValue(), messages);
            }
        }
    }

    private static void checkMoney(int i, String name, JsonNode params, List<Message> messages) {
        if ("purchase".equals(name) && !params.hasNonNull("transaction_id")) {
            messages.add(new Message(i, "events.params.transaction_id", "Event at index: [" + i + "] named purchase requires a transaction_id.", "VALUE_REQUIRED"));
        }
        JsonNode value = params.get("value");
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            messages.add(new Message(i, "events.params.value", "Event at index: [" + i + "] has a value that is not a number.", "VALUE_INVALID"));
        }
        JsonNode currency = params.get("currency");
        if (currency == null || currency.isNull()) {
            messages.add(new Message(i, "events.params.currency", "Event at index: [" + i + "] sets value without currency.", "VALUE_REQUIRED"));
        } else if (!ContractChecks.isIsoCurrency(currency.asText(), false)) {
            messages.add(new Message(i, "events.params.currency", "Event at index: [" + i + "] has currency [" + currency.asText()
                    + "] which is not an ISO 4217 code.", "VALUE_INVALID"));
        }
    }

    private static String nameProblem(String name) {
        if (name.length() > MAX_NAME) {
            return "Names must be " + MAX_NAME + " characters or fewer.";
        }
        if (!Character.isLetter(name.charAt(0))) {
            return "Names must start with an alphabetic character.";
        }
        if (!NAME.matcher(name).matches()) {
            return "Only alphanumeric characters and underscores are allowed.";
        }
        return null;
    }

    private static boolean reservedPrefix(String name) {
        return RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
