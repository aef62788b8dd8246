package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta's Conversions API: {@code POST /v{N}.0/{pixel_id}/events} with a JSON (or form-encoded) body holding
 * {@code data} (1..1000 server events) and the access token in the body, the query or an
 * {@code Authorization: Bearer} header. A valid batch answers {@code {"events_received","messages","fbtrace_id"}};
 * one bad event refuses the whole batch with Graph's {@code {"error":{...}}} shape. Events with the same
 * (event_name, event_id) within 48 hours count once.
 */
public final class FakeMeta extends FakePlatform {
    public static final Duration DEDUP_WINDOW = Duration.ofHours(48);
    public static final int MAX_EVENTS = 1000;
    private static final Pattern EVENTS_PATH = Pattern.compile("/v(\\d+)\\.0/([^/]+)/events/?");

    private final String pixelId;
    private final String accessToken;

    /** A pixel (dataset) id and the one access token that may send to it. */
    public FakeMeta(String pixelId, String accessToken) {
        this.pixelId = pixelId;
        this.accessToken = accessToken;
    }

    /** The key Meta deduplicates on: event_name and event_id. */
    public static String dedupKey(String eventName, String eventId) {
        return eventName + "|" + eventId;
    }

    /** Meta's throttling answer (code 17, "User request limit reached", transient). */
    @Override
    protected Answer rateLimitAnswer() {
        return graphError(400, "User request limit reached", "OAuthException", 17, 2446079, true, null, null);
    }

    @Override
    protected Answer handle(RecordedRequest request) {
        Matcher path = EVENTS_PATH.matcher(request.path());
        if (!path.matches()) {
            violation("unknown Graph path " + request.path());
            return graphError(400, "Unknown path components: " + request.path(), "OAuthException", 2500, null, null, null, null);
        }
        if (!"POST".equals(request.method())) {
            violation("events must be sent with POST, not " + request.method());
            return graphError(400, "Unsupported " + request.method().toLowerCase() + " request.", "GraphMethodException", 100, null, null, null, null);
        }
        ObjectNode params = parameters(request);
        if (params == null) {
            violation("the body is neither JSON nor form-encoded parameters: " + request.header("content-type"));
            return graphError(400, "(#100) The parameter data is required", "OAuthException", 100, null, null, null, null);
        }
        String token = token(request, params);
        if (token == null) {
            violation("no access token (body access_token, query access_token or Authorization: Bearer)");
            return graphError(400, "An access token is required to request this resource.", "OAuthException", 104, null, null, null, null);
        }
        if (!token.equals(accessToken)) {
            violation("invalid access token");
            return graphError(401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, null, null, null, null)
                    .withHeader("WWW-Authenticate", "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token - Cannot parse access token\"");
        }
        if (!path.group(2).equals(pixelId)) {
            violation("unknown pixel id " + path.group(2));
            return graphError(400, "Unsupported post request. Object with ID '" + path.group(2) + "' does not exist, cannot be loaded "
                    + "due to missing permissions, or does not support this operation. Please read the Graph API documentation at "
                    + "https://developers.facebook.com/docs/graph-api", "GraphMethodException", 100, 33, null, null, null);
        }
        return events(params);
    }

    private Answer events(ObjectNode params) {
        JsonNode data = params.get("data");
        if (data == null || data.isNull() || (data.isArray() && data.isEmpty())) {
            violation("the parameter data is missing or empty");
            return graphError(400, "(#100) The parameter data is required", "OAuthException", 100, null, null, null, null);
        }
        if (!data.isArray()) {
            violation("the parameter data is not an array");
            return graphError(400, "(#100) param data must be an array.", "OAuthException", 100, null, null, null, null);
        }
        if (data.size() > MAX_EVENTS) {
            violation("a batch of " + data.size() + " events exceeds Meta's limit of " + MAX_EVENTS);
            return graphError(400, "Invalid parameter", "OAuthException", 100, null, false, "Too Many Events",
                    "A request can include at most " + MAX_EVENTS + " events; this one has " + data.size() + ".");
        }
        JsonNode testCode = params.get("test_event_code");
        if (testCode != null && !testCode.isTextual()) {
            violation("test_event_code must be a string");
        }
        Instant now = now();
        for (int i = 0; i < data.size(); i++) {
            MetaEventRules.Rejection rejection = MetaEventRules.check(i, data.get(i), now, this::violation);
            if (rejection != null) {
                violation("event " + i + " refused (subcode " + rejection.subcode() + "): " + rejection.message());
                return graphError(400, "Invalid parameter", "OAuthException", 100, rejection.subcode(), false,
                        rejection.title(), rejection.message());
            }
        }
        for (JsonNode event : data) {
            JsonNode eventId = event.get("event_id");
            String key = eventId == null || eventId.isNull()
                    ? dedupKey(event.get("event_name").asText(), "(no event_id " + UUID.randomUUID() + ")")
                    : dedupKey(event.get("event_name").asText(), eventId.asText());
            recordEvent(key, event, DEDUP_WINDOW);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("events_received", data.size());
        body.putArray("messages");
        body.put("fbtrace_id", ContractChecks.traceId());
        return Answer.json(200, body);
    }

    /** The request's parameters: a JSON object body, or form fields whose data is a JSON string. */
    private ObjectNode parameters(RecordedRequest request) {
        String type = request.header("content-type") == null ? "" : request.header("content-type").toLowerCase();
        try {
            if (type.startsWith("application/x-www-form-urlencoded")) {
                ObjectNode params = JSON.createObjectNode();
                for (Map.Entry<String, String> field : formValues(request.body()).entrySet()) {
                    params.set(field.getKey(), "data".equals(field.getKey())
                            ? JSON.readTree(field.getValue()) : JSON.getNodeFactory().textNode(field.getValue()));
                }
                return params;
            }
            if (request.body().isBlank()) {
                return JSON.createObjectNode();
            }
            JsonNode tree = JSON.readTree(request.body());
            return tree instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String token(RecordedRequest request, ObjectNode params) {
        if (params.path("access_token").isTextual()) {
            return params.get("access_token").asText();
        }
        if (request.queryParam("access_token") != null) {
            return request.queryParam("access_token");
        }
        String authorization = request.header("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    /** Graph's error envelope; null fields are left out as Graph does. */
    private static Answer graphError(int status, String message, String type, int code, Integer subcode, Boolean transient_,
                                     String userTitle, String userMessage) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (subcode != null) {
            error.put("error_subcode", subcode);
        }
        if (transient_ != null) {
            error.put("is_transient", transient_);
        }
        if (userTitle != null) {
            error.put("error_user_title", userTitle);
            error.put("error_user_msg", userMessage);
        }
        error.put("fbtrace_id", ContractChecks.traceId());
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        return Answer.json(status, body);
    }
}
