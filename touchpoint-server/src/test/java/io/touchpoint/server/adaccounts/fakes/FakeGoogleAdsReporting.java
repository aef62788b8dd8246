package io.touchpoint.server.adaccounts.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.destinations.fakes.FakePlatform;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Google Ads API's search and Google's OAuth token endpoint as documented: {@code POST /token} exchanges a
 * refresh token ({@code grant_type=refresh_token}, client id and secret) for an access token, or answers
 * {@code invalid_grant}; {@code POST /{version}/customers/{id}/googleAds:search} takes {@code {"query", "pageToken"}}
 * with the bearer token, {@code developer-token} and {@code login-customer-id} headers and answers
 * {@code {"results", "nextPageToken", "fieldMask"}} in the API's JSON (camelCase, int64 as strings, cost in micros);
 * errors in the {@code google.rpc.Status} shape with a GoogleAdsFailure detail (UNAUTHENTICATED, RESOURCE_EXHAUSTED).
 */
public final class FakeGoogleAdsReporting extends FakePlatform {
    public static final List<String> FIELDS = List.of("customer.currency_code", "campaign.id", "campaign.name", "ad_group.id",
            "ad_group.name", "ad_group_ad.ad.id", "ad_group_ad.ad.name", "segments.date", "metrics.cost_micros",
            "metrics.impressions", "metrics.clicks", "metrics.conversions", "metrics.conversions_value");
    private static final Pattern DATES = Pattern.compile("segments\\.date BETWEEN '(\\d{4}-\\d{2}-\\d{2})' AND '(\\d{4}-\\d{2}-\\d{2})'");
    private final String version;
    private final String customerId;
    private final String loginCustomerId;
    private final String developerToken;
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final String currency;
    private final int pageSize;
    private final List<AdRow> rows = new ArrayList<>();
    private final List<String> issued = new ArrayList<>();
    private boolean revoked;
    private int tokensIssued;

    public FakeGoogleAdsReporting(String version, String customerId, String loginCustomerId, String developerToken,
                                  String clientId, String clientSecret, String refreshToken, String currency, int pageSize) {
        this.version = version;
        this.customerId = customerId;
        this.loginCustomerId = loginCustomerId;
        this.developerToken = developerToken;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.currency = currency;
        this.pageSize = pageSize;
    }

    public synchronized void add(AdRow row) {
        rows.add(row);
    }

    /** The refresh token is revoked: the token endpoint answers invalid_grant. */
    public synchronized void revoke() {
        revoked = true;
    }

    /** Access tokens issued so far stop working (they expired): the API answers UNAUTHENTICATED. */
    public synchronized void expireAccessTokens() {
        issued.clear();
    }

    public synchronized int tokensIssued() {
        return tokensIssued;
    }

    /** The API's quota answer to the next {@code n} requests. */
    public void exhaustQuotaNext(int n) {
        failNext(n, 429, failure(429, "RESOURCE_EXHAUSTED", "quotaError", "RESOURCE_EXHAUSTED",
                "Too many requests. Retry in 1 seconds."), Map.of("Content-Type", "application/json"));
    }

    @Override
    protected synchronized Answer handle(RecordedRequest r) {
        if (r.path().equals("/token")) return token(r);
        String path = "/" + version + "/customers/" + customerId + "/googleAds:search";
        if (!r.method().equals("POST") || !r.path().equals(path)) {
            violation("the search is POST " + path + ", not " + r.method() + " " + r.path());
            return Answer.json(404, Map.of("error", Map.of("code", 404, "message", "not found", "status", "NOT_FOUND")));
        }
        String auth = r.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !issued.contains(auth.substring(7))) {
            return Answer.json(401, tree(failure(401, "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_EXPIRED",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token.")));
        }
        if (!developerToken.equals(r.header("developer-token"))) {
            violation("developer-token header must be the connection's developer token");
            return Answer.json(401, tree(failure(401, "UNAUTHENTICATED", "authenticationError",
                    "DEVELOPER_TOKEN_INVALID", "The developer token is not valid.")));
        }
        if (loginCustomerId != null && !loginCustomerId.equals(r.header("login-customer-id"))) {
            violation("login-customer-id must be the manager account " + loginCustomerId + ", was " + r.header("login-customer-id"));
        }
        if (r.header("Content-Type") == null || !r.header("Content-Type").startsWith("application/json")) {
            violation("the search body is JSON");
        }
        JsonNode body = tree(r.body());
        String query = body.path("query").asText();
        String select = query.replaceAll("(?s)^\\s*SELECT\\s+(.*?)\\s+FROM\\s+.*$", "$1");
        List<String> selected = List.of(select.split("\\s*,\\s*"));
        if (!selected.containsAll(FIELDS)) violation("the GAQL must select " + FIELDS + ", selected " + selected);
        if (!query.matches("(?s).*\\bFROM ad_group_ad\\b.*")) violation("the GAQL must read FROM ad_group_ad: " + query);
        Matcher m = DATES.matcher(query);
        if (!m.find()) {
            violation("the GAQL must filter segments.date BETWEEN two days: " + query);
            return Answer.json(400, tree(failure(400, "INVALID_ARGUMENT", "queryError", "UNEXPECTED_END_OF_QUERY", "bad query")));
        }
        LocalDate from = LocalDate.parse(m.group(1)), to = LocalDate.parse(m.group(2));
        int offset = body.hasNonNull("pageToken") ? Integer.parseInt(body.get("pageToken").asText().substring(5)) : 0;
        List<AdRow> inRange = rows.stream().filter(x -> !x.day().isBefore(from) && !x.day().isAfter(to)).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (AdRow x : inRange.subList(Math.min(offset, inRange.size()), Math.min(offset + pageSize, inRange.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("customer", Map.of("resourceName", "customers/" + customerId, "currencyCode", currency));
            row.put("campaign", Map.of("resourceName", "customers/" + customerId + "/campaigns/" + x.campaignId(),
                    "id", x.campaignId(), "name", x.campaign()));
            row.put("adGroup", Map.of("resourceName", "customers/" + customerId + "/adGroups/" + x.adSetId(),
                    "id", x.adSetId(), "name", x.adSet()));
            row.put("adGroupAd", Map.of("resourceName", "customers/" + customerId + "/adGroupAds/" + x.adSetId() + "~" + x.adId(),
                    "ad", Map.of("resourceName", "customers/" + customerId + "/ads/" + x.adId(), "id", x.adId(), "name", x.ad())));
            row.put("metrics", Map.of("costMicros", new BigDecimal(x.spend()).movePointRight(6).toBigInteger().toString(),
                    "impressions", Long.toString(x.impressions()), "clicks", Long.toString(x.clicks()),
                    "conversions", Double.parseDouble(x.conversions()), "conversionsValue", Double.parseDouble(x.conversionValue())));
            row.put("segments", Map.of("date", x.day().toString()));
            results.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", results);
        if (offset + results.size() < inRange.size()) out.put("nextPageToken", "page:" + (offset + results.size()));
        out.put("fieldMask", "customer.currencyCode,campaign.id,campaign.name,adGroup.id,adGroup.name,adGroupAd.ad.id,"
                + "adGroupAd.ad.name,segments.date,metrics.costMicros,metrics.impressions,metrics.clicks,metrics.conversions,"
                + "metrics.conversionsValue");
        out.put("requestId", "fake-" + r.receivedAt().toEpochMilli());
        return Answer.json(200, out);
    }

    private Answer token(RecordedRequest r) {
        Map<String, String> form = formValues(r.body());
        if (!"POST".equals(r.method()) || !String.valueOf(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded")) {
            violation("the token request is a form POST");
        }
        if (!"refresh_token".equals(form.get("grant_type"))) violation("grant_type must be refresh_token");
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            return Answer.json(401, Map.of("error", "invalid_client", "error_description", "The OAuth client was not found."));
        }
        if (revoked || !refreshToken.equals(form.get("refresh_token"))) {
            return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "Token has been expired or revoked."));
        }
        String access = "ya29.fake-" + (++tokensIssued);
        issued.add(access);
        return Answer.json(200, Map.of("access_token", access, "expires_in", 3599, "scope",
                "https://www.googleapis.com/auth/adwords", "token_type", "Bearer"));
    }

    private String failure(int code, String status, String errorKind, String errorCode, String message) {
        Map<String, Object> detail = Map.of("@type", "type.googleapis.com/google.ads.googleads." + version + ".errors.GoogleAdsFailure",
                "errors", List.of(Map.of("errorCode", Map.of(errorKind, errorCode), "message", message)), "requestId", "fake-failure");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        error.put("details", List.of(detail));
        try {
            return JSON.writeValueAsString(Map.of("error", error));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }
}
