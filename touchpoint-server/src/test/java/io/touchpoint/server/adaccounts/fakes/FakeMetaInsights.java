package io.touchpoint.server.adaccounts.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.destinations.fakes.FakePlatform;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Meta Marketing API's ad account insights as documented: {@code GET /{version}/act_{id}/insights} with
 * {@code level=ad}, {@code time_increment=1}, the fields asked for and a {@code time_range}; pages of {@code limit}
 * rows with {@code paging.cursors.after} and {@code paging.next} until the last; errors in Meta's
 * {@code {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}} shape (190: the token expired;
 * 17: the user's request limit, with {@code is_transient}).
 */
public final class FakeMetaInsights extends FakePlatform {
    public static final Set<String> FIELDS = Set.of("campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id",
            "ad_name", "spend", "impressions", "clicks", "actions", "action_values", "account_currency");
    private final String version;
    private final String accountId;
    private final String currency;
    private volatile String token;
    private final List<AdRow> rows = new ArrayList<>();
    private volatile boolean expired;
    private int expiresAfter = -1;

    public FakeMetaInsights(String version, String accountId, String token, String currency) {
        this.version = version;
        this.accountId = accountId;
        this.token = token;
        this.currency = currency;
    }

    public synchronized void add(AdRow row) {
        rows.add(row);
    }

    public synchronized void clearRows() {
        rows.clear();
    }

    /** After {@code n} more insights requests the token answers Meta's "session has expired" (code 190, subcode 463). */
    public synchronized void expireTokenAfter(int n) {
        expiresAfter = n;
    }

    public synchronized void renewToken(String newToken) {
        token = newToken;
        expired = false;
        expiresAfter = -1;
    }

    /** Meta's throttling answer to the next {@code n} requests: HTTP 400, code 17. */
    public void rateLimitNext(int n) {
        failNext(n, 400, "{\"error\":{\"message\":\"(#17) User request limit reached\",\"type\":\"OAuthException\","
                + "\"is_transient\":true,\"code\":17,\"error_subcode\":2446079,\"fbtrace_id\":\"AbCdEf\"}}", null);
    }

    @Override
    protected synchronized Answer handle(RecordedRequest r) {
        String path = "/" + version + "/act_" + accountId + "/insights";
        if (!r.method().equals("GET") || !r.path().equals(path)) {
            violation("insights are read with GET " + path + ", not " + r.method() + " " + r.path());
            return error(400, 803, null, "(#803) Some of the aliases you requested do not exist");
        }
        String given = r.queryParam("access_token");
        if (given == null || !given.equals(token)) {
            return error(400, 190, null, "Invalid OAuth access token - Cannot parse access token");
        }
        if (expiresAfter == 0) expired = true;
        if (expiresAfter > 0) expiresAfter--;
        if (expired) {
            return error(400, 190, 463, "Error validating access token: Session has expired on Sunday, 01-Mar-26 08:00:00 PST.");
        }
        if (!"ad".equals(r.queryParam("level"))) violation("level must be ad, was " + r.queryParam("level"));
        if (!"1".equals(r.queryParam("time_increment"))) violation("time_increment must be 1 (daily rows)");
        String fields = r.queryParam("fields");
        Set<String> asked = fields == null ? Set.of() : Set.of(fields.split(","));
        if (!asked.containsAll(FIELDS)) violation("fields must name " + FIELDS + ", was " + fields);
        JsonNode range;
        try {
            range = JSON.readTree(r.queryParam("time_range"));
        } catch (Exception e) {
            violation("time_range must be JSON {since, until}: " + r.queryParam("time_range"));
            return error(400, 100, null, "(#100) time_range must be a JSON object");
        }
        LocalDate since = LocalDate.parse(range.path("since").asText()), until = LocalDate.parse(range.path("until").asText());
        int limit = Integer.parseInt(r.queryParam("limit") == null ? "25" : r.queryParam("limit"));
        int offset = r.queryParam("after") == null ? 0 : Integer.parseInt(new String(java.util.Base64.getDecoder()
                .decode(r.queryParam("after"))).substring(4));
        List<AdRow> inRange = rows.stream().filter(x -> !x.day().isBefore(since) && !x.day().isAfter(until)).toList();
        List<Map<String, Object>> data = new ArrayList<>();
        for (AdRow x : inRange.subList(Math.min(offset, inRange.size()), Math.min(offset + limit, inRange.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("campaign_id", x.campaignId());
            m.put("campaign_name", x.campaign());
            m.put("adset_id", x.adSetId());
            m.put("adset_name", x.adSet());
            m.put("ad_id", x.adId());
            m.put("ad_name", x.ad());
            m.put("spend", x.spend());
            m.put("impressions", Long.toString(x.impressions()));
            m.put("clicks", Long.toString(x.clicks()));
            m.put("actions", List.of(Map.of("action_type", "link_click", "value", Long.toString(x.clicks())),
                    Map.of("action_type", "purchase", "value", x.conversions())));
            m.put("action_values", List.of(Map.of("action_type", "purchase", "value", x.conversionValue())));
            m.put("account_currency", currency);
            m.put("date_start", x.day().toString());
            m.put("date_stop", x.day().toString());
            data.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        Map<String, Object> paging = new LinkedHashMap<>();
        String before = cursor(offset), after = cursor(offset + data.size());
        paging.put("cursors", Map.of("before", before, "after", after));
        if (offset + data.size() < inRange.size()) {
            paging.put("next", baseUrl() + path + "?" + r.query().replaceAll("&after=[^&]*", "") + "&after=" + after);
        }
        body.put("paging", paging);
        return Answer.json(200, body);
    }

    private static String cursor(int offset) {
        return java.util.Base64.getEncoder().encodeToString(("row:" + offset).getBytes());
    }

    private static Answer error(int status, int code, Integer subcode, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", message);
        e.put("type", "OAuthException");
        e.put("code", code);
        if (subcode != null) e.put("error_subcode", subcode);
        e.put("fbtrace_id", "AxYz123");
        return Answer.json(status, Map.of("error", e));
    }
}
