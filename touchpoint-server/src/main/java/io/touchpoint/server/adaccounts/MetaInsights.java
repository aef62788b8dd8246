package io.touchpoint.server.adaccounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.server.destinations.platforms.PlatformHttp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Meta Marketing API's insights of an ad account: {@code GET /{version}/act_{id}/insights} at ad level, one row per
 * day ({@code time_increment=1}), pages followed by their {@code after} cursor. The platform's conversions are the
 * {@code actions} (and their {@code action_values}) of the connection's conversion_action types, purchase by default.
 */
final class MetaInsights implements Insights {
    static final String FIELDS = "campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,spend,impressions,clicks,"
            + "actions,action_values,account_currency";
    static final String DEFAULT_CONVERSION_ACTION = "purchase";
    private static final int PAGE_SIZE = 500;
    /** Meta's throttling codes: application, user and account request limits, and the business use case limits. */
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005,
            80006, 80008, 80009, 80014);
    /** An invalid, expired or revoked access token (190), a session gone (102), a permission not granted (10, 200–299). */
    private static final Set<Integer> AUTH_CODES = Set.of(102, 190, 10);

    private final PlatformHttp http;
    private final RetryingCalls calls;
    private final String base;

    MetaInsights(PlatformHttp http, RetryingCalls calls, AdSyncSettings settings) {
        this.http = http;
        this.calls = calls;
        this.base = settings.metaUrl().toString().replaceAll("/+$", "") + "/" + settings.metaVersion();
    }

    @Override
    public Report read(AdAccounts.Opened account, LocalDate from, LocalDate to) {
        AdAccount a = account.account();
        Set<String> conversions = Arrays.stream(conversionActions(a).split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        String first = base + "/act_" + a.accountId() + "/insights?level=ad&time_increment=1&limit=" + PAGE_SIZE
                + "&fields=" + enc(FIELDS) + "&time_range=" + enc("{\"since\":\"" + from + "\",\"until\":\"" + to + "\"}")
                + "&access_token=" + enc(account.secret("access_token"));
        List<AdSpend> rows = new ArrayList<>();
        String currency = null;
        String after = null;
        do {
            String url = after == null ? first : first + "&after=" + enc(after);
            JsonNode page = calls.call(() -> http.get(url, Map.of()), MetaInsights::refusal);
            for (JsonNode r : page.path("data")) {
                currency = text(r, "account_currency", currency);
                rows.add(new AdSpend(LocalDate.parse(r.path("date_start").asText()), "meta", text(r, "campaign_id", null),
                        text(r, "campaign_name", ""), text(r, "adset_id", null), text(r, "adset_name", null),
                        text(r, "ad_id", null), text(r, "ad_name", null), r.path("spend").asDouble(0),
                        r.path("impressions").asLong(0), r.path("clicks").asLong(0), sum(r.path("actions"), conversions),
                        sum(r.path("action_values"), conversions), a.id()));
            }
            JsonNode paging = page.path("paging");
            after = paging.hasNonNull("next") ? paging.path("cursors").path("after").asText(null) : null;
        } while (after != null);
        return new Report(currency, rows);
    }

    static String conversionActions(AdAccount a) {
        String s = a.setting("conversion_action");
        return s == null || s.isBlank() ? DEFAULT_CONVERSION_ACTION : s;
    }

    /** Null when the answer is a page; otherwise Meta's error, sorted by its code. */
    private static SyncRefused refusal(PlatformHttp.Answer a) {
        JsonNode error = a.json() == null ? null : a.json().get("error");
        if (a.ok() && error == null) return null;
        if (error == null) return RetryingCalls.byStatus(a);
        int code = error.path("code").asInt(0);
        String message = "Meta error " + code + (error.has("error_subcode") ? " (subcode " + error.path("error_subcode").asInt() + ")" : "")
                + ": " + error.path("message").asText("");
        if (AUTH_CODES.contains(code) || (code >= 200 && code <= 299)) return new SyncRefused(SyncRefused.Kind.AUTH, message, null);
        if (RATE_LIMIT_CODES.contains(code)) return new SyncRefused(SyncRefused.Kind.RATE_LIMIT, message, a.retryAfter().orElse(null));
        if (error.path("is_transient").asBoolean(false) || a.status() >= 500) {
            return new SyncRefused(SyncRefused.Kind.TRANSIENT, message, null);
        }
        return new SyncRefused(SyncRefused.Kind.REFUSED, message, null);
    }

    private static double sum(JsonNode actions, Set<String> types) {
        double total = 0;
        for (JsonNode x : actions) if (types.contains(x.path("action_type").asText())) total += x.path("value").asDouble(0);
        return total;
    }

    static String text(JsonNode r, String field, String fallback) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? fallback : v.asText();
    }

    static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
