package io.touchpoint.server.fuzz;

import io.touchpoint.server.fuzz.FuzzBodies.Body;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.fuzz.FuzzBodies.EVENT_NAMES;
import static io.touchpoint.server.fuzz.FuzzBodies.body;
import static io.touchpoint.server.fuzz.FuzzBodies.email;
import static io.touchpoint.server.fuzz.FuzzBodies.jsonText;
import static io.touchpoint.server.fuzz.FuzzBodies.number;
import static io.touchpoint.server.fuzz.FuzzBodies.object;
import static io.touchpoint.server.fuzz.FuzzBodies.oneOf;
import static io.touchpoint.server.fuzz.FuzzBodies.text;
import static io.touchpoint.server.fuzz.FuzzBodies.value;

/**
 * Generated requests for the admin API (destinations and their replays, ad accounts, exports, users, saved views) and
 * for the reads that take filters. Each body generator mixes bodies of the known fields with any values, valid bodies,
 * and valid bodies with one field changed or left out, so that what a request makes is reached as well as its refusals.
 */
final class AdminRequests {
    /**
     * Where what the fuzz makes would send: a closed local port. Destinations and exports belong to a workspace no event
     * reaches and ad accounts are never synced, so nothing is sent anyway; left without an address, a destination would
     * name the platform's real host.
     */
    static final String NOWHERE = "http://127.0.0.1:9";

    private AdminRequests() {
    }

    static Arbitrary<Body> destinations() {
        Map<String, Arbitrary<?>> settings = new LinkedHashMap<>();
        for (String key : List.of("pixel_id", "access_token", "test_event_code", "customer_id", "conversion_action",
                "developer_token", "client_id", "client_secret", "refresh_token", "login_customer_id", "pixel_code",
                "measurement_id", "api_secret", "secret")) {
            settings.put(key, Arbitraries.oneOf(text(), Arbitraries.of("1234567890", "123-456-7890", "G-ABC123", "AW-1",
                    "customers/1/conversionActions/2", "EAAB", "C4ABC")));
        }
        settings.put("url", Arbitraries.oneOf(text(), Arbitraries.of(NOWHERE + "/hook", "https://127.0.0.1:9/hook",
                "ftp://example.com/", "http://", "hook", "https://user:pw@127.0.0.1:9/")));
        Map<String, Arbitrary<?>> f = new LinkedHashMap<>();
        f.put("type", oneOf("meta", "google_ads", "tiktok", "ga4", "webhook", "facebook", "META", ""));
        f.put("name", text());
        f.put("settings", object(settings));
        f.put("events", Arbitraries.of(EVENT_NAMES).list().ofMaxSize(4));
        f.put("event_map", Arbitraries.maps(Arbitraries.of(EVENT_NAMES), text()).ofMaxSize(3));
        f.put("mode", oneOf("all", "attributed", "some"));
        f.put("model", oneOf("last_touch", "first_touch", "linear", "data_driven", "markov", "nope"));
        f.put("base_url", oneOf(NOWHERE, NOWHERE + "/", "https://127.0.0.1:9", "127.0.0.1:9", "javascript:alert(1)", "http://[::1"));
        f.put("enabled", oneOf(true, false, "yes"));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(
                Map.of("type", "meta", "name", "Meta", "settings", Map.of("pixel_id", "1234567890", "access_token", "EAAB"),
                        "base_url", NOWHERE),
                Map.of("type", "google_ads", "name", "Google", "settings", Map.of("customer_id", "123-456-7890",
                        "conversion_action", "customers/1234567890/conversionActions/2", "developer_token", "dev",
                        "client_id", "client", "client_secret", "secret", "refresh_token", "refresh"), "base_url", NOWHERE),
                Map.of("type", "tiktok", "name", "TikTok", "settings", Map.of("pixel_code", "C4ABC", "access_token", "tt"),
                        "events", List.of("purchase"), "mode", "attributed", "base_url", NOWHERE),
                Map.of("type", "ga4", "name", "GA4", "settings", Map.of("measurement_id", "G-ABC123", "api_secret", "s"),
                        "base_url", NOWHERE),
                Map.of("type", "webhook", "name", "Hook", "settings", Map.of("url", NOWHERE + "/hook"), "enabled", false));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    /** A valid body with one field changed to another plausible value, to any value, or left out. */
    private static Arbitrary<Map<String, Object>> mutated(Arbitrary<Map<String, Object>> valid, Map<String, Arbitrary<?>> fields) {
        Arbitrary<Map.Entry<String, Object>> change = Arbitraries.of(List.copyOf(fields.keySet())).flatMap(key -> Arbitraries
                .frequencyOf(Tuple.of(3, fields.get(key).map(v -> (Object) v)), Tuple.of(1, value(1)))
                .injectNull(0.2).map(v -> new AbstractMap.SimpleEntry<>(key, v)));
        return Combinators.combine(valid, change).as((m, c) -> {
            Map<String, Object> out = new LinkedHashMap<>(m);
            if (c.getValue() == null) out.remove(c.getKey());
            else out.put(c.getKey(), c.getValue());
            return out;
        });
    }

    static Arbitrary<Body> adAccounts() {
        Map<String, Arbitrary<?>> settings = new LinkedHashMap<>();
        for (String key : List.of("access_token", "conversion_action", "login_customer_id", "client_id", "developer_token",
                "client_secret", "refresh_token")) {
            settings.put(key, Arbitraries.oneOf(text(), Arbitraries.of("EAAB", "1234567890", "123-456-7890", "dev")));
        }
        Map<String, Arbitrary<?>> f = new LinkedHashMap<>();
        f.put("platform", oneOf("meta", "google", "tiktok", "google_ads", "facebook", ""));
        f.put("name", text());
        f.put("account_id", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("1234567890", "act_1234567890",
                "123-456-7890", "7000000000000000000")));
        f.put("settings", object(settings));
        f.put("enabled", oneOf(true, false, "no"));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(
                Map.of("platform", "meta", "name", "Meta ads", "account_id", "1234567890", "settings", Map.of("access_token", "EAAB")),
                Map.of("platform", "google", "name", "Google ads", "account_id", "1234567890", "settings", Map.of("client_id",
                        "client", "developer_token", "dev", "client_secret", "secret", "refresh_token", "refresh")),
                Map.of("platform", "tiktok", "name", "TikTok ads", "account_id", "7000000000000000000", "settings",
                        Map.of("access_token", "tt"), "enabled", false));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    static Arbitrary<Body> exports() {
        Map<String, Arbitrary<?>> params = new LinkedHashMap<>();
        params.put("model", oneOf("last_touch", "linear", "data_driven", "nope"));
        params.put("group_by", oneOf("channel", "campaign", "source", "ad", "x"));
        params.put("window", oneOf("7", "30", "lifetime", "0", "-1"));
        params.put("currency", oneOf("USD", "EUR", "QQQ"));
        Map<String, Arbitrary<?>> f = new LinkedHashMap<>();
        f.put("name", text());
        f.put("what", oneOf("attribution_report", "events_log", "report", ""));
        f.put("params", object(params));
        // only addresses that go nowhere: a schedule that came due in the run would send to it
        f.put("folder", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("bi/daily", "../up", "/abs", "a/../b", "ok.dir")));
        f.put("webhook_url", oneOf(NOWHERE + "/export", "https://127.0.0.1:9/export", "ftp://127.0.0.1/", "not a url", ""));
        f.put("webhook_secret", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("0123456789abcdef0123")));
        f.put("hour", Arbitraries.oneOf(number(), oneOf(0, 23, 24, -1, "6")));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(
                Map.of("name", "Daily report", "what", "attribution_report", "params", Map.of("model", "linear", "group_by",
                        "campaign"), "folder", "bi/daily", "hour", 6),
                Map.of("name", "Daily log", "what", "events_log", "webhook_url", NOWHERE + "/export", "hour", 23));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    /** The reads that take filters, each with the query parameters it knows. */
    static final Map<String, List<String>> READS = Map.ofEntries(
            Map.entry("/api/v1/events-log", List.of("request_id", "outcome", "event_name", "email", "identifier", "since",
                    "cursor", "limit", "from", "to", "format")),
            Map.entry("/api/v1/profiles", List.of("identifier", "q", "limit", "cursor")),
            Map.entry("/api/v1/reports/attribution", List.of("from", "to", "group_by", "model", "window", "platform", "events",
                    "value_event", "average", "sort", "hide_empty", "event_name", "interval", "format", "compare")),
            Map.entry("/api/v1/reports/attribution/conversions", List.of("from", "to", "group_by", "group", "model",
                    "event_name", "limit", "cursor")),
            Map.entry("/api/v1/reports/paths", List.of("from", "to", "group_by", "event_name", "limit", "format")),
            Map.entry("/api/v1/reports/traffic", List.of("from", "to", "limit", "format")),
            Map.entry("/api/v1/recognition", List.of("days")),
            Map.entry("/api/v1/saved-views", List.of("page")),
            Map.entry("/admin/v1/audit-log", List.of("from", "to", "actor", "action", "workspace", "limit", "cursor")),
            Map.entry("/admin/v1/set-aside", List.of("workspace", "limit")),
            Map.entry("/admin/v1/workspaces/{ws}/ad-spend", List.of("from", "to")));

    static Arbitrary<Map.Entry<String, String>> reads() {
        Arbitrary<String> plausible = Arbitraries.of("2026-03-01", "2026-02-30", "2026-03-01T00:00:00Z", "1767225600",
                "yesterday", "last_touch", "linear", "data_driven", "markov", "channel", "campaign", "ad", "day", "week",
                "month", "meta", "google", "purchase", "lead_generated", "accepted", "rejected", "duplicate", "csv", "json",
                "xml", "0", "1", "50", "500", "501", "-1", "99999999999", "true", "false", "lifetime", "30", "revenue:desc",
                "email:fuzz@example.com", "phone:+1 650 555 1212", "token.*", "fuzz-admin", "attribution", "previous_period");
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(3, plausible), Tuple.of(2, text()));
        return Arbitraries.of(List.copyOf(READS.keySet())).flatMap(path -> {
            Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(READS.get(path))),
                    Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)));
            Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            // escapes Java's URI accepts (a malformed one it refuses to send): NUL, bytes that are not UTF-8, empty names
            Arbitrary<String> raw = Arbitraries.of("q=%00", "from=%C3%28", "to=%ED%A0%80", "limit=%2B5", "=x", "&&", "model",
                    "q=" + "a".repeat(3000));
            Arbitrary<String> query = Arbitraries.frequencyOf(Tuple.of(9, pair), Tuple.of(1, raw)).list().ofMaxSize(5)
                    .map(l -> String.join("&", l));
            return query.map(q -> Map.entry(path, q));
        });
    }

    static Arbitrary<Body> users() {
        Map<String, Arbitrary<?>> f = new LinkedHashMap<>();
        f.put("email", Arbitraries.oneOf(email(), text().map(t -> (Object) t), Arbitraries.integers().between(0, 999)
                .map(n -> (Object) ("invited" + n + "@example.com"))));
        f.put("role", oneOf("owner", "admin", "analyst", "viewer", "OWNER"));
        f.put("workspaces", Arbitraries.oneOf(oneOf("all", "none"), Arbitraries.of("fuzz-admin", "no-such-workspace", "")
                .list().ofMaxSize(3).map(l -> (Object) l)));
        f.put("reset_password", oneOf(true, false, "yes"));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(Map.of("email", "valid-invite@example.com", "role", "analyst",
                "workspaces", "all"), Map.of("role", "admin", "workspaces", List.of("fuzz-admin")), Map.of("reset_password", true));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    static Arbitrary<Body> savedViews() {
        Map<String, Arbitrary<?>> f = new LinkedHashMap<>();
        f.put("page", oneOf("attribution", "paths", "events", "Attribution", "../etc", ""));
        f.put("name", text());
        f.put("query", Arbitraries.oneOf(text().map(t -> (Object) t), oneOf("group_by=campaign&model=linear", "?preset=last_7_days",
                "model=%zz", "a=" + "b".repeat(5000))));
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(Map.of("page", "attribution", "name", "Campaigns, linear",
                "query", "group_by=campaign&model=linear"));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }

    static Arbitrary<Body> replays() {
        Map<String, Arbitrary<?>> f = new LinkedHashMap<>();
        f.put("event_ids", Arbitraries.oneOf(text(), Arbitraries.of("evt_01HZ0000000000000000000000", "")).list().ofMaxSize(3));
        f.put("status", oneOf("dead", "sent", "skipped", "pending", "retrying", "all"));
        Arbitrary<Object> time = Arbitraries.oneOf(number(), oneOf("2026-01-01T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-01-01", "1767225600", "yesterday"));
        f.put("from", time);
        f.put("to", time);
        Arbitrary<Map<String, Object>> valid = Arbitraries.of(Map.of("status", "dead"), Map.of("event_ids",
                List.of("evt_01HZ0000000000000000000000")), Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z"));
        return body(jsonText(Arbitraries.frequencyOf(Tuple.of(2, object(f)), Tuple.of(1, valid), Tuple.of(2, mutated(valid, f)))),
                "application/json");
    }
}
