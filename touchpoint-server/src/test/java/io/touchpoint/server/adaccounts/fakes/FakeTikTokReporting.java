package io.touchpoint.server.adaccounts.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.destinations.fakes.FakePlatform;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TikTok's synchronous report as documented: {@code GET /open_api/v1.3/report/integrated/get/} with the
 * {@code Access-Token} header (no Bearer prefix), {@code advertiser_id}, {@code report_type=BASIC},
 * {@code data_level=AUCTION_AD}, {@code dimensions} and {@code metrics} as JSON arrays, {@code start_date} and
 * {@code end_date} at most 30 days apart for daily rows, {@code page} and {@code page_size}. It answers HTTP 200 with
 * the {@code {"code", "message", "request_id", "data": {"list", "page_info"}}} envelope, metrics as strings; errors
 * keep HTTP 200 and set {@code code} (40105: the token is invalid or revoked; 40100: too many requests).
 */
public final class FakeTikTokReporting extends FakePlatform {
    public static final String PATH = "/open_api/v1.3/report/integrated/get/";
    private final String advertiserId;
    private final String token;
    private final String currency;
    private final List<AdRow> rows = new ArrayList<>();
    private volatile boolean revoked;

    public FakeTikTokReporting(String advertiserId, String token, String currency) {
        this.advertiserId = advertiserId;
        this.token = token;
        this.currency = currency;
    }

    public synchronized void add(AdRow row) {
        rows.add(row);
    }

    public void revokeToken() {
        revoked = true;
    }

    /** TikTok's rate-limit answer to the next {@code n} requests. */
    public void rateLimitNext(int n) {
        failNext(n, 200, "{\"code\":40100,\"message\":\"Too many requests. Please retry in some time.\",\"request_id\":\"rl\",\"data\":{}}",
                Map.of("Content-Type", "application/json"));
    }

    @Override
    protected synchronized Answer handle(RecordedRequest r) {
        if (!r.method().equals("GET") || !r.path().equals(PATH)) {
            violation("the report is GET " + PATH + ", not " + r.method() + " " + r.path());
            return envelope(40002, "Not found", null);
        }
        String given = r.header("Access-Token");
        if (given != null && given.startsWith("Bearer ")) violation("Access-Token takes the token alone, without Bearer");
        if (revoked || given == null || !given.equals(token)) {
            return envelope(40105, "Access token is incorrect or has been revoked.", null);
        }
        if (!advertiserId.equals(r.queryParam("advertiser_id"))) violation("advertiser_id must be " + advertiserId);
        if (!"BASIC".equals(r.queryParam("report_type"))) violation("report_type must be BASIC");
        if (!"AUCTION_AD".equals(r.queryParam("data_level"))) violation("data_level must be AUCTION_AD");
        List<String> dimensions = strings(r.queryParam("dimensions"));
        if (!dimensions.equals(List.of("ad_id", "stat_time_day"))) violation("dimensions must be [ad_id, stat_time_day]: " + dimensions);
        List<String> metrics = strings(r.queryParam("metrics"));
        for (String m : List.of("spend", "impressions", "clicks", "conversion", "campaign_id", "campaign_name", "adgroup_id",
                "adgroup_name", "ad_name", "currency")) {
            if (!metrics.contains(m)) violation("metrics must include " + m + ": " + metrics);
        }
        LocalDate start = LocalDate.parse(r.queryParam("start_date")), end = LocalDate.parse(r.queryParam("end_date"));
        if (ChronoUnit.DAYS.between(start, end) >= 30) {
            return envelope(40002, "The time span between start_date and end_date cannot exceed 30 days.", null);
        }
        int page = Integer.parseInt(r.queryParam("page")), size = Integer.parseInt(r.queryParam("page_size"));
        if (size < 1 || size > 1000) violation("page_size must be 1 to 1000");
        int pageSize = Math.min(size, 2); // small pages so that paging is exercised
        List<AdRow> inRange = rows.stream().filter(x -> !x.day().isBefore(start) && !x.day().isAfter(end)).toList();
        int from = (page - 1) * pageSize;
        List<Map<String, Object>> list = new ArrayList<>();
        for (AdRow x : inRange.subList(Math.min(from, inRange.size()), Math.min(from + pageSize, inRange.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spend", x.spend());
            m.put("impressions", Long.toString(x.impressions()));
            m.put("clicks", Long.toString(x.clicks()));
            m.put("conversion", x.conversions());
            m.put("total_complete_payment_rate", x.conversionValue());
            m.put("campaign_id", x.campaignId());
            m.put("campaign_name", x.campaign());
            m.put("adgroup_id", x.adSetId());
            m.put("adgroup_name", x.adSet());
            m.put("ad_name", x.ad());
            m.put("currency", currency);
            list.add(Map.of("dimensions", Map.of("ad_id", x.adId(), "stat_time_day", x.day() + " 00:00:00"), "metrics", m));
        }
        int totalPages = Math.max(1, (inRange.size() + pageSize - 1) / pageSize);
        return envelope(0, "OK", Map.of("list", list, "page_info", Map.of("page", page, "page_size", pageSize,
                "total_number", inRange.size(), "total_page", totalPages)));
    }

    private static List<String> strings(String json) {
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode n : JSON.readTree(json == null ? "[]" : json)) out.add(n.asText());
        } catch (java.io.IOException e) {
            out.add("not a JSON array: " + json);
        }
        return out;
    }

    private static Answer envelope(int code, String message, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("request_id", "202603011200000000000000");
        body.put("data", data == null ? Map.of() : data);
        return Answer.json(200, body);
    }
}
