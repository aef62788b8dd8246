package io.touchpoint.server.adaccounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.server.destinations.platforms.PlatformHttp;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Google Ads API's delivery per ad and day: GAQL over {@code ad_group_ad} through
 * {@code POST /{version}/customers/{id}/googleAds:search}, pages followed by {@code nextPageToken}. The access token
 * comes from the connection's OAuth refresh token and is kept until shortly before it expires; a token the API
 * refuses is dropped and renewed once before the refusal counts.
 */
final class GoogleAdsInsights implements Insights {
    private static final double MICROS = 1_000_000d;
    private final PlatformHttp http;
    private final RetryingCalls calls;
    private final Clock clock;
    private final String base;
    private final String tokenUrl;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    GoogleAdsInsights(PlatformHttp http, RetryingCalls calls, AdSyncSettings settings, Clock clock) {
        this.http = http;
        this.calls = calls;
        this.clock = clock;
        this.base = settings.googleUrl().toString().replaceAll("/+$", "") + "/" + settings.googleVersion();
        this.tokenUrl = settings.googleTokenUrl().toString();
    }

    static String query(LocalDate from, LocalDate to) {
        return "SELECT customer.currency_code, campaign.id, campaign.name, ad_group.id, ad_group.name, ad_group_ad.ad.id,"
                + " ad_group_ad.ad.name, segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks,"
                + " metrics.conversions, metrics.conversions_value FROM ad_group_ad"
                + " WHERE segments.date BETWEEN '" + from + "' AND '" + to + "'";
    }

    @Override
    public Report read(AdAccounts.Opened account, LocalDate from, LocalDate to) {
        AdAccount a = account.account();
        String key = a.id() + ":" + Secrets.sha256Hex(account.secret("refresh_token") + ":" + account.secret("client_secret"));
        String url = base + "/customers/" + a.accountId() + "/googleAds:search";
        List<AdSpend> rows = new ArrayList<>();
        String currency = null;
        String pageToken = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", query(from, to));
            if (pageToken != null) body.put("pageToken", pageToken);
            JsonNode page = page(account, key, url, body);
            for (JsonNode r : page.path("results")) {
                currency = MetaInsights.text(r.path("customer"), "currencyCode", currency);
                JsonNode ad = r.path("adGroupAd").path("ad");
                JsonNode m = r.path("metrics");
                rows.add(new AdSpend(LocalDate.parse(r.path("segments").path("date").asText()), "google",
                        MetaInsights.text(r.path("campaign"), "id", null), MetaInsights.text(r.path("campaign"), "name", ""),
                        MetaInsights.text(r.path("adGroup"), "id", null), MetaInsights.text(r.path("adGroup"), "name", null),
                        MetaInsights.text(ad, "id", null), MetaInsights.text(ad, "name", null),
                        m.path("costMicros").asDouble(0) / MICROS, m.path("impressions").asLong(0), m.path("clicks").asLong(0),
                        m.path("conversions").asDouble(0), m.path("conversionsValue").asDouble(0), a.id()));
            }
            pageToken = MetaInsights.text(page, "nextPageToken", null);
        } while (pageToken != null);
        return new Report(currency, rows);
    }

    /** One page, with the access token renewed once when the API says it is no longer good. */
    private JsonNode page(AdAccounts.Opened account, String key, String url, Map<String, Object> body) {
        for (int renewals = 0; ; renewals++) {
            String token = token(account, key);
            Map<String, String> headers = new HashMap<>();
            headers.put("Authorization", "Bearer " + token);
            headers.put("developer-token", account.secret("developer_token"));
            String login = account.account().setting("login_customer_id");
            if (login != null) headers.put("login-customer-id", login);
            try {
                return calls.call(() -> http.postJson(url, headers, body), GoogleAdsInsights::refusal);
            } catch (SyncRefused e) {
                if (e.kind() != SyncRefused.Kind.AUTH || renewals > 0) throw e;
                tokens.remove(key);
            }
        }
    }

    private String token(AdAccounts.Opened account, String key) {
        Token t = tokens.get(key);
        if (t != null && t.expires().isAfter(clock.instant())) return t.value();
        String form = "grant_type=refresh_token&client_id=" + MetaInsights.enc(account.account().setting("client_id"))
                + "&client_secret=" + MetaInsights.enc(account.secret("client_secret"))
                + "&refresh_token=" + MetaInsights.enc(account.secret("refresh_token"));
        JsonNode j = calls.call(() -> http.post(tokenUrl, Map.of(), "application/x-www-form-urlencoded", form),
                GoogleAdsInsights::tokenRefusal);
        if (!j.hasNonNull("access_token")) {
            throw new SyncRefused(SyncRefused.Kind.AUTH, "Google OAuth answered without an access_token", null);
        }
        t = new Token(j.get("access_token").asText(), clock.instant().plusSeconds(Math.max(60, j.path("expires_in").asLong(3600) - 60)));
        tokens.put(key, t);
        return t.value();
    }

    /** OAuth's error ({@code invalid_grant}: the refresh token expired or was revoked; {@code invalid_client}). */
    private static SyncRefused tokenRefusal(PlatformHttp.Answer a) {
        if (a.ok()) return null;
        JsonNode j = a.json();
        if (j != null && j.has("error") && a.status() >= 400 && a.status() < 500 && a.status() != 429) {
            return new SyncRefused(SyncRefused.Kind.AUTH, "Google OAuth refused the refresh token: " + j.path("error").asText()
                    + (j.has("error_description") ? " (" + j.path("error_description").asText() + ")" : ""), null);
        }
        return RetryingCalls.byStatus(a);
    }

    /** The API's error: its status (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED…) and the failure's own codes. */
    private static SyncRefused refusal(PlatformHttp.Answer a) {
        JsonNode error = a.json() == null ? null : a.json().get("error");
        if (a.ok() && error == null) return null;
        if (error == null) return RetryingCalls.byStatus(a);
        String status = error.path("status").asText("");
        List<String> codes = new ArrayList<>();
        for (JsonNode d : error.path("details")) {
            for (JsonNode e : d.path("errors")) {
                e.path("errorCode").properties().forEach(c -> codes.add(c.getValue().asText()));
            }
        }
        String message = "Google Ads " + status + (codes.isEmpty() ? "" : " " + String.join(", ", codes)) + ": "
                + error.path("message").asText("");
        return switch (status) {
            case "UNAUTHENTICATED", "PERMISSION_DENIED" -> new SyncRefused(SyncRefused.Kind.AUTH, message, null);
            case "RESOURCE_EXHAUSTED" -> new SyncRefused(SyncRefused.Kind.RATE_LIMIT, message, a.retryAfter().orElse(null));
            case "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED" -> new SyncRefused(SyncRefused.Kind.TRANSIENT, message, null);
            default -> a.status() >= 500 ? new SyncRefused(SyncRefused.Kind.TRANSIENT, message, null)
                    : new SyncRefused(SyncRefused.Kind.REFUSED, message, null);
        };
    }
}
