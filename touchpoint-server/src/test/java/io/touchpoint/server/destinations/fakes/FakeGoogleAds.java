package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.touchpoint.server.destinations.fakes.GoogleAdsErrors.AdsError;
import io.touchpoint.server.destinations.fakes.GoogleAdsErrors.PathElement;

/**
 * Google's OAuth token endpoint ({@code POST /token}, refresh_token grant) and the Google Ads REST method
 * {@code POST /v{19..23}/customers/{customerId}:uploadClickConversions}. Request-level faults (auth, developer
 * token, partialFailure not true, malformed JSON) answer google.rpc.Status errors; row faults come back in
 * {@code partialFailureError} with an empty object in {@code results} for each failed row. Conversions are
 * deduplicated as Google does: by (conversion action, order id), else by (click id, action, conversion time).
 */
public final class FakeGoogleAds extends FakePlatform {
    public static final int MIN_VERSION = 19;
    public static final int MAX_VERSION = 23;
    public static final int MAX_CONVERSIONS = 2000;
    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofSeconds(3599);
    public static final String SCOPE = "https://www.googleapis.com/auth/adwords";
    private static final Pattern UPLOAD_PATH = Pattern.compile("/v(\\d+)/customers/([^/:]+):uploadClickConversions");
    private static final Set<String> REQUEST_FIELDS = Set.of("conversions", "partialFailure", "validateOnly", "debugEnabled", "jobId", "customerId");
    private static final Set<String> CONVERSION_FIELDS = Set.of("gclid", "gbraid", "wbraid", "conversionAction", "conversionDateTime",
            "conversionValue", "currencyCode", "orderId", "externalAttributionData", "customVariables", "cartData", "userIdentifiers",
            "conversionEnvironment", "consent", "customerType", "sessionAttributesEncoded", "sessionAttributesKeyValuePairs");
    private static final String INVALID_CREDENTIALS = "Request had invalid authentication credentials. Expected OAuth 2 access token, "
            + "login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final String developerToken;
    private final String customerId;
    private final Set<Long> conversionActions = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> clicks = new ConcurrentHashMap<>();
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private volatile String managerCustomerId;

    /** The OAuth client and refresh token the token endpoint honours, the developer token, and the one customer (digits only). */
    public FakeGoogleAds(String clientId, String clientSecret, String refreshToken, String developerToken, String customerId) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.developerToken = developerToken;
        this.customerId = customerId;
    }

    /** Registers a conversion action id of the customer that uploads may name. */
    public FakeGoogleAds conversionAction(long id) {
        conversionActions.add(id);
        return this;
    }

    /** A gclid, gbraid or wbraid Google knows, with the time of its click; any other well-formed id is CLICK_NOT_FOUND. */
    public FakeGoogleAds knownClick(String clickId, Instant clickTime) {
        clicks.put(clickId, clickTime);
        return this;
    }

    /** A manager account that may be named in login-customer-id (the customer itself always may). */
    public FakeGoogleAds managerCustomerId(String id) {
        this.managerCustomerId = id;
        return this;
    }

    /** Every access token issued so far stops working (Google then answers 401 until a new one is fetched). */
    public void expireAccessTokens() {
        Instant past = now().minusSeconds(1);
        accessTokens.replaceAll((token, expiry) -> past);
    }

    public List<String> issuedAccessTokens() {
        return List.copyOf(accessTokens.keySet());
    }

    public static String conversionActionName(String customerId, long actionId) {
        return "customers/" + customerId + "/conversionActions/" + actionId;
    }

    /** The dedup key of a conversion with an order id. */
    public static String orderDedupKey(long actionId, String orderId) {
        return "order|" + actionId + "|" + orderId;
    }

    /** The dedup key of a conversion without an order id; the date time is compared as an instant. */
    public static String clickDedupKey(String clickId, long actionId, String conversionDateTime) {
        Instant at = GoogleAdsConversionRules.parseDateTime(conversionDateTime);
        return "click|" + clickId + "|" + actionId + "|" + (at == null ? conversionDateTime : at.toString());
    }

    @Override
    protected Answer rateLimitAnswer() {
        String requestId = requestId();
        AdsError quota = AdsError.of("quotaError", "RESOURCE_TEMPORARILY_EXHAUSTED", "Too many requests. Retry in 30 seconds.");
        return GoogleAdsErrors.rpcError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", MAX_VERSION,
                requestId, List.of(quota));
    }

    @Override
    protected Answer handle(RecordedRequest request) {
        if ("/token".equals(request.path()) && "POST".equals(request.method())) {
            return token(request);
        }
        Matcher upload = UPLOAD_PATH.matcher(request.path());
        if (!upload.matches() || !"POST".equals(request.method())) {
            violation("no such Google endpoint: " + request.method() + " " + request.path());
            return new Answer(404, "<!DOCTYPE html><title>Error 404 (Not Found)!!1</title><p>The requested URL <code>"
                    + request.path() + "</code> was not found on this server.", Map.of("Content-Type", "text/html; charset=UTF-8"));
        }
        int version = Integer.parseInt(upload.group(1));
        String requestId = requestId();
        if (version > MAX_VERSION) {
            violation("Google Ads API v" + version + " does not exist");
            return new Answer(404, "<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>", Map.of("Content-Type", "text/html; charset=UTF-8"));
        }
        if (version < MIN_VERSION) {
            violation("Google Ads API v" + version + " is sunset");
            return GoogleAdsErrors.invalidArgument(version, requestId, AdsError.of("requestError", "UNSUPPORTED_VERSION",
                    "This API version has been sunset and is no longer supported."));
        }
        Answer refused = authorize(request, version, requestId, upload.group(2));
        return refused != null ? refused : upload(request, version, requestId);
    }

    private Answer token(RecordedRequest request) {
        Map<String, String> form = formValues(request.body());
        for (String required : List.of("grant_type", "client_id", "client_secret", "refresh_token")) {
            if (form.get(required) == null || form.get(required).isEmpty()) {
                violation("token request without " + required);
                return oauthError(400, "invalid_request", "Missing required parameter: " + required);
            }
        }
        if (!"refresh_token".equals(form.get("grant_type"))) {
            violation("unsupported grant_type " + form.get("grant_type"));
            return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
        }
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            violation("unknown OAuth client or wrong client secret");
            return oauthError(401, "invalid_client", "Unauthorized");
        }
        if (!refreshToken.equals(form.get("refresh_token"))) {
            violation("refresh token not recognised");
            return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
        }
        String token = "ya29.fake-" + UUID.randomUUID();
        accessTokens.put(token, now().plus(ACCESS_TOKEN_LIFETIME));
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds());
        body.put("scope", SCOPE);
        body.put("token_type", "Bearer");
        return Answer.json(200, body);
    }

    private Answer authorize(RecordedRequest request, int version, String requestId, String pathCustomer) {
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            violation("no Authorization: Bearer header");
            return GoogleAdsErrors.rpcError(401, "UNAUTHENTICATED", "Request is missing required authentication credential. Expected OAuth 2 "
                    + "access token, login cookie or other valid authentication credential. See "
                    + "https://developers.google.com/identity/sign-in/web/devconsole-project.", version, requestId, List.of());
        }
        Instant expiry = accessTokens.get(authorization.substring(7).trim());
        if (expiry == null || !expiry.isAfter(now())) {
            violation(expiry == null ? "unknown access token" : "expired access token");
            String code = expiry == null ? "OAUTH_TOKEN_INVALID" : "OAUTH_TOKEN_EXPIRED";
            String message = expiry == null ? "OAuth token in the header is not valid." : "OAuth token in the header has expired.";
            return GoogleAdsErrors.rpcError(401, "UNAUTHENTICATED", INVALID_CREDENTIALS, version, requestId,
                    List.of(AdsError.of("authenticationError", code, message)));
        }
        String devToken = request.header("developer-token");
        if (devToken == null || devToken.isEmpty()) {
            violation("no developer-token header");
            return GoogleAdsErrors.invalidArgument(version, requestId, AdsError.of("requestError", "DEVELOPER_TOKEN_PARAMETER_MISSING",
                    "developer-token parameter is missing."));
        }
        if (!devToken.equals(developerToken)) {
            violation("wrong developer token");
            return GoogleAdsErrors.rpcError(401, "UNAUTHENTICATED", INVALID_CREDENTIALS, version, requestId, List.of(AdsError.of("authenticationError", "DEVELOPER_TOKEN_INVALID", "The developer token is not valid.")));
        }
        if (!pathCustomer.matches("\\d{10}")) {
            violation("customer id in the path must be 10 digits without dashes: " + pathCustomer);
            return GoogleAdsErrors.invalidArgument(version, requestId, AdsError.of("requestError", "INVALID_CUSTOMER_ID",
                    "Invalid customer ID '" + pathCustomer + "'."));
        }
        String login = request.header("login-customer-id");
        if (login != null && !login.matches("\\d{10}")) {
            violation("login-customer-id must be 10 digits without dashes: " + login);
            return GoogleAdsErrors.invalidArgument(version, requestId, AdsError.of("headerError", "INVALID_LOGIN_CUSTOMER_ID",
                    "The login customer ID could not be validated."));
        }
        boolean loginAllowed = login == null || login.equals(pathCustomer) || login.equals(managerCustomerId);
        if (!pathCustomer.equals(customerId) || !loginAllowed) {
            violation("no access to customer " + pathCustomer + (login == null ? "" : " through login-customer-id " + login));
            return GoogleAdsErrors.rpcError(403, "PERMISSION_DENIED", "The caller does not have permission", version, requestId,
                    List.of(AdsError.of("authorizationError", "USER_PERMISSION_DENIED", "User doesn't have permission to access customer. "
                            + "Note: If you're accessing a client customer, the manager's customer id must be set in the "
                            + "'login-customer-id' header. See https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid")));
        }
        return null;
    }

    private Answer upload(RecordedRequest request, int version, String requestId) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(request.body());
        } catch (IOException e) {
            violation("body is not JSON");
            return GoogleAdsErrors.badJson("", "Invalid JSON payload received. Unexpected token.");
        }
        if (!(parsed instanceof ObjectNode body)) {
            violation("body is not a JSON object");
            return GoogleAdsErrors.badJson("", "Invalid JSON payload received. Expected an object.");
        }
        Answer shape = GoogleAdsRequestShape.check(body, REQUEST_FIELDS, CONVERSION_FIELDS);
        if (shape != null) {
            violation("malformed upload: " + shape.body());
            return shape;
        }
        if (!body.path("partialFailure").asBoolean(false)) {
            violation("partialFailure must be true");
            return GoogleAdsErrors.invalidArgument(version, requestId, AdsError.of("partialFailureError", "PARTIAL_FAILURE_MODE_REQUIRED",
                    "The partial failure field was false in the request. This method requires this field be set to true."));
        }
        JsonNode conversions = body.path("conversions");
        if (conversions.isEmpty() || conversions.size() > MAX_CONVERSIONS) {
            violation("an upload needs 1.." + MAX_CONVERSIONS + " conversions, not " + conversions.size());
            return GoogleAdsErrors.invalidArgument(version, requestId, conversions.isEmpty()
                    ? AdsError.of("fieldError", "REQUIRED_NONEMPTY_LIST", "The required repeated field was empty.", PathElement.field("conversions"))
                    : AdsError.of("conversionUploadError", "TOO_MANY_CONVERSIONS_IN_REQUEST", "Upload fewer than 2001 events in a single request."));
        }
        JsonNode jobId = body.get("jobId");
        if (jobId != null && (ContractChecks.integral(jobId) == null || jobId.asLong() < 0 || jobId.asLong() >= (1L << 31))) {
            violation("jobId must be in [0, 2^31): " + jobId);
            return GoogleAdsErrors.invalidArgument(version, requestId, AdsError.of("conversionUploadError", "INVALID_JOB_ID",
                    "The provided job id in the request is not within the allowed range. A job ID must be a positive integer in the range [1, 2^31)."));
        }
        return rows(body, conversions, version, requestId);
    }

    private Answer rows(ObjectNode body, JsonNode conversions, int version, String requestId) {
        boolean validateOnly = body.path("validateOnly").asBoolean(false);
        Instant now = now();
        List<AdsError> errors = new ArrayList<>();
        ArrayNode results = JSON.createArrayNode();
        Set<String> keysInRequest = new HashSet<>();
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        for (int i = 0; i < conversions.size(); i++) {
            JsonNode row = conversions.get(i);
            GoogleAdsConversionRules.Row checked = GoogleAdsConversionRules.check(i, row, customerId, conversionActions, clicks, now, this::violation);
            AdsError error = checked.error();
            String key = null;
            if (error == null) {
                String orderId = row.path("orderId").asText("");
                key = orderId.isEmpty() ? clickDedupKey(checked.clickId(), checked.actionId(), row.get("conversionDateTime").asText())
                        : orderDedupKey(checked.actionId(), orderId);
                error = duplicate(i, key, !orderId.isEmpty(), keysInRequest, validateOnly);
            }
            if (error != null) {
                violation("conversion " + i + " refused: " + error.describe());
                errors.add(error);
                results.addObject();
                continue;
            }
            keysInRequest.add(key);
            accepted.put(key, row);
            ObjectNode result = results.addObject();
            for (String field : List.of("gclid", "gbraid", "wbraid", "conversionAction", "conversionDateTime", "userIdentifiers")) {
                if (row.hasNonNull(field)) {
                    result.set(field, row.get(field));
                }
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        if (!errors.isEmpty()) {
            answer.set("partialFailureError", GoogleAdsErrors.partialFailure(version, requestId, errors));
        }
        if (!validateOnly) {
            accepted.forEach((key, row) -> recordEvent(key, row, null));
            answer.set("results", results);
            answer.put("jobId", body.has("jobId") ? body.get("jobId").asText() : String.valueOf((1L << 31) + (long) (Math.random() * 1e12)));
        }
        return Answer.json(200, answer).withHeader("request-id", requestId);
    }

    private AdsError duplicate(int i, String key, boolean byOrder, Set<String> keysInRequest, boolean validateOnly) {
        PathElement field = PathElement.field(byOrder ? "order_id" : "conversion_date_time");
        if (keysInRequest.contains(key)) {
            if (!validateOnly) {
                noteReceived(key);
            }
            return byOrder
                    ? AdsError.of("conversionUploadError", "DUPLICATE_ORDER_ID", "Imported events include multiple conversions with the same "
                    + "order ID and were not processed.  Make sure order IDs are unique and try again.", PathElement.row(i), field)
                    : AdsError.of("conversionUploadError", "DUPLICATE_CLICK_CONVERSION_IN_REQUEST", "Multiple events have the same click and "
                    + "`conversion_date_time`. Make sure your `conversion_date_time` is correctly configured and try again.", PathElement.row(i), field);
        }
        if (!isAccepted(key, null)) {
            return null;
        }
        if (!validateOnly) {
            noteReceived(key);
        }
        return byOrder
                ? AdsError.of("conversionUploadError", "ORDER_ID_ALREADY_IN_USE", "The imported event includes an order ID that was previously "
                + "recorded, so the event was not processed.", PathElement.row(i), field)
                : AdsError.of("conversionUploadError", "CLICK_CONVERSION_ALREADY_EXISTS", "The imported event has the same click and "
                + "`conversion_date_time` as an existing conversion. Use a unique `conversion_date_time` or order ID for each unique event and try again.",
                PathElement.row(i), field);
    }

    private static Answer oauthError(int status, String error, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return Answer.json(status, body);
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }
}
