package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * TikTok's Events API 2.0: {@code POST /open_api/v1.3/event/track/} with an {@code Access-Token} header and
 * {@code {"event_source","event_source_id","test_event_code"?,"data":[...]}}. Like the Business API it always
 * answers HTTP 200; {@code code} 0 means accepted, anything else is an error ({@code 40002 "Invalid value for
 * <field>: <reason>"} for a bad parameter, refusing the whole request). Events with the same (event, event_id)
 * within 48 hours count once.
 */
public final class FakeTikTok extends FakePlatform {
    public static final String PATH = "/open_api/v1.3/event/track/";
    public static final Duration DEDUP_WINDOW = Duration.ofHours(48);
    public static final int MAX_EVENTS = 1000;
    public static final int OK = 0;
    public static final int NO_PERMISSION = 40001;
    public static final int INVALID_PARAMETER = 40002;
    public static final int TOO_MANY_REQUESTS = 40100;
    public static final int ACCESS_TOKEN_EMPTY = 40104;
    public static final int ACCESS_TOKEN_INVALID = 40105;
    private static final Set<String> EVENT_SOURCES = Set.of("web", "app", "offline", "crm");
    private static final List<String> HASHED_USER_FIELDS = List.of("email", "phone", "external_id");
    private static final List<String> CLEAR_USER_FIELDS = List.of("ip", "user_agent", "ttclid", "ttp");
    private static final DateTimeFormatter REQUEST_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final String accessToken;
    private final String pixelCode;

    /** The access token the fake honours and the pixel code (event_source_id) it owns. */
    public FakeTikTok(String accessToken, String pixelCode) {
        this.accessToken = accessToken;
        this.pixelCode = pixelCode;
    }

    /** The key TikTok deduplicates on: the event name and event_id. */
    public static String dedupKey(String event, String eventId) {
        return event + "|" + eventId;
    }

    @Override
    protected Answer rateLimitAnswer() {
        return error(TOO_MANY_REQUESTS, "Too many requests. Please retry in some time.");
    }

    @Override
    protected Answer handle(RecordedRequest request) {
        if (!PATH.equals(request.path()) || !"POST".equals(request.method())) {
            violation("no such TikTok endpoint: " + request.method() + " " + request.path() + " (the path ends with a slash)");
            return new Answer(404, "404 page not found", Map.of("Content-Type", "text/plain"));
        }
        String token = request.header("access-token");
        if (token == null || token.isBlank()) {
            violation("no Access-Token header");
            return error(ACCESS_TOKEN_EMPTY, "Access token is null. Please check your request.");
        }
        if (!token.equals(accessToken)) {
            violation("invalid access token" + (token.startsWith("Bearer ") ? " (the Access-Token header takes the bare token, no Bearer prefix)" : ""));
            return error(ACCESS_TOKEN_INVALID, "Access token is incorrect or has been revoked.");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (!(body instanceof ObjectNode)) {
            return invalid("request body", "not a valid JSON object.");
        }
        JsonNode source = body.get("event_source");
        if (source == null || !source.isTextual() || !EVENT_SOURCES.contains(source.asText())) {
            return invalid("event_source", "must be one of " + EVENT_SOURCES + ".");
        }
        JsonNode sourceId = body.get("event_source_id");
        if (sourceId == null || !sourceId.isTextual()) {
            return invalid("event_source_id", "not a valid string.");
        }
        if (!sourceId.asText().equals(pixelCode)) {
            violation("event_source_id " + sourceId.asText() + " is not a pixel this token may use");
            return error(NO_PERMISSION, "No permission to operate event source " + sourceId.asText() + ".");
        }
        if (body.has("test_event_code") && !body.get("test_event_code").isTextual()) {
            return invalid("test_event_code", "not a valid string.");
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isArray() || data.isEmpty() || data.size() > MAX_EVENTS) {
            return invalid("data", "must be a list of 1 to " + MAX_EVENTS + " events.");
        }
        for (int i = 0; i < data.size(); i++) {
            Answer refused = checkEvent("data[" + i + "]", data.get(i), source.asText());
            if (refused != null) {
                return refused;
            }
        }
        for (JsonNode event : data) {
            String eventId = event.hasNonNull("event_id") ? event.get("event_id").asText() : "(no event_id " + UUID.randomUUID() + ")";
            recordEvent(dedupKey(event.get("event").asText(), eventId), event, DEDUP_WINDOW);
        }
        ObjectNode answer = envelope(OK, "OK");
        answer.putObject("data");
        return Answer.json(200, answer);
    }

    /** The refusal for the first invalid field of one event, or null. */
    private Answer checkEvent(String at, JsonNode event, String source) {
        if (!event.isObject()) {
            return invalid(at, "not a valid object.");
        }
        if (!event.path("event").isTextual() || event.get("event").asText().isBlank()) {
            return invalid(at + ".event", "field is required.");
        }
        if (ContractChecks.integral(event.get("event_time")) == null) {
            return invalid(at + ".event_time", event.has("event_time") ? "not a valid integer." : "field is required.");
        }
        if (event.has("event_id") && !event.get("event_id").isTextual()) {
            return invalid(at + ".event_id", "not a valid string.");
        }
        if (event.has("limited_data_use") && !event.get("limited_data_use").isBoolean()) {
            return invalid(at + ".limited_data_use", "not a valid boolean.");
        }
        JsonNode user = event.get("user");
        if (user != null && !user.isNull()) {
            if (!user.isObject()) {
                return invalid(at + ".user", "not a valid object.");
            }
            for (String field : HASHED_USER_FIELDS) {
                List<String> values = ContractChecks.stringOrStrings(user.get(field));
                if (values == null || values.stream().anyMatch(v -> !ContractChecks.isSha256Hex(v))) {
                    return invalid(at + ".user." + field, "must be SHA-256 hashed (64 lower-case hexadecimal characters).");
                }
            }
            for (String field : CLEAR_USER_FIELDS) {
                if (ContractChecks.looksHashed(user.path(field).asText(null))) {
                    violation(at + ".user." + field + " must be sent in clear, not hashed");
                }
            }
        } else {
            violation(at + " has no user object, so TikTok cannot match it");
        }
        if ("web".equals(source) && !event.path("page").path("url").isTextual()) {
            violation(at + ".page.url is required for web events");
        }
        JsonNode properties = event.get("properties");
        if (properties != null && properties.has("value")) {
            if (!ContractChecks.isNumeric(properties.get("value"))) {
                return invalid(at + ".properties.value", "not a valid number.");
            }
            if (!ContractChecks.isIsoCurrency(properties.path("currency").asText(null), false)) {
                return invalid(at + ".properties.currency", "must be an ISO 4217 currency code when value is set.");
            }
        }
        return null;
    }

    private Answer invalid(String field, String reason) {
        violation("invalid " + field + ": " + reason);
        return error(INVALID_PARAMETER, "Invalid value for " + field + ": " + reason);
    }

    /** Business API errors still travel as HTTP 200; only the body's code tells. */
    private static Answer error(int code, String message) {
        return Answer.json(200, envelope(code, message));
    }

    private static ObjectNode envelope(int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        body.put("request_id", REQUEST_ID_TIME.format(java.time.Instant.now())
                + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase());
        return body;
    }
}
