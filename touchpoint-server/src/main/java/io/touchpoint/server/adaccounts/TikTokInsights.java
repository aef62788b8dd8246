package io.touchpoint.server.adaccounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.server.destinations.platforms.PlatformHttp;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TikTok's synchronous report ({@code GET /open_api/v1.3/report/integrated/get/}): BASIC, AUCTION_AD, one row per ad
 * and day, pages read until {@code page_info.total_page}, at most 30 days per request as TikTok allows for daily
 * rows. TikTok answers HTTP 200 with its own {@code code}/{@code message} envelope; {@code code} 0 is success. The
 * platform's conversions are its {@code conversion} metric, their value {@code total_complete_payment_rate} (TikTok's
 * name for the total value of completed payments).
 */
final class TikTokInsights implements Insights {
    static final String PATH = "/open_api/v1.3/report/integrated/get/";
    static final List<String> METRICS = List.of("spend", "impressions", "clicks", "conversion", "total_complete_payment_rate",
            "campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name", "currency");
    private static final int PAGE_SIZE = 1000;
    private static final int MAX_DAYS = 30;
    /** Too many requests (QPS or daily limits). */
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(40100, 40133, 51021);
    /** Access token missing, expired, invalid or revoked; no permission for the advertiser. */
    private static final Set<Integer> AUTH_CODES = Set.of(40001, 40102, 40104, 40105, 40106);

    private final PlatformHttp http;
    private final RetryingCalls calls;
    private final String url;

    TikTokInsights(PlatformHttp http, RetryingCalls calls, AdSyncSettings settings) {
        this.http = http;
        this.calls = calls;
        this.url = settings.tiktokUrl().toString().replaceAll("/+$", "") + PATH;
    }

    @Override
    public Report read(AdAccounts.Opened account, LocalDate from, LocalDate to) {
        AdAccount a = account.account();
        List<AdSpend> rows = new ArrayList<>();
        String currency = null;
        for (LocalDate start = from; !start.isAfter(to); start = start.plusDays(MAX_DAYS)) {
            LocalDate end = start.plusDays(MAX_DAYS - 1).isAfter(to) ? to : start.plusDays(MAX_DAYS - 1);
            int pages = 1;
            for (int page = 1; page <= pages; page++) {
                String q = url + "?advertiser_id=" + MetaInsights.enc(a.accountId()) + "&report_type=BASIC&data_level=AUCTION_AD"
                        + "&dimensions=" + MetaInsights.enc("[\"ad_id\",\"stat_time_day\"]")
                        + "&metrics=" + MetaInsights.enc("[\"" + String.join("\",\"", METRICS) + "\"]")
                        + "&start_date=" + start + "&end_date=" + end + "&page=" + page + "&page_size=" + PAGE_SIZE;
                JsonNode data = calls.call(() -> http.get(q, Map.of("Access-Token", account.secret("access_token"))),
                        TikTokInsights::refusal).path("data");
                for (JsonNode r : data.path("list")) {
                    JsonNode d = r.path("dimensions"), m = r.path("metrics");
                    currency = MetaInsights.text(m, "currency", currency);
                    rows.add(new AdSpend(LocalDate.parse(d.path("stat_time_day").asText().substring(0, 10)), "tiktok",
                            MetaInsights.text(m, "campaign_id", null), MetaInsights.text(m, "campaign_name", ""),
                            MetaInsights.text(m, "adgroup_id", null), MetaInsights.text(m, "adgroup_name", null),
                            MetaInsights.text(d, "ad_id", null), MetaInsights.text(m, "ad_name", null), m.path("spend").asDouble(0),
                            m.path("impressions").asLong(0), m.path("clicks").asLong(0), m.path("conversion").asDouble(0),
                            m.path("total_complete_payment_rate").asDouble(0), a.id()));
                }
                pages = data.path("page_info").path("total_page").asInt(1);
            }
        }
        return new Report(currency, rows);
    }

    private static SyncRefused refusal(PlatformHttp.Answer a) {
        JsonNode j = a.json();
        if (j == null || !j.has("code")) return a.ok() ? null : RetryingCalls.byStatus(a);
        int code = j.path("code").asInt(-1);
        if (code == 0 && a.ok()) return null;
        String message = "TikTok error " + code + ": " + j.path("message").asText("");
        if (AUTH_CODES.contains(code)) return new SyncRefused(SyncRefused.Kind.AUTH, message, null);
        if (RATE_LIMIT_CODES.contains(code) || a.status() == 429) {
            return new SyncRefused(SyncRefused.Kind.RATE_LIMIT, message, a.retryAfter().orElse(null));
        }
        if (code >= 50000 || a.status() >= 500) return new SyncRefused(SyncRefused.Kind.TRANSIENT, message, null);
        return new SyncRefused(SyncRefused.Kind.REFUSED, message, null);
    }
}
