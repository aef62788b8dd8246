package io.touchpoint.server.ingest;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ProxiedClientsTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals that no workspace's rate limit pays for cannot make the server write without limit: they count against
 * the client address like bad tokens, and the events log keeps the first few of each minute per address and code
 * (with a bounded payload prefix) and counts the rest in one summary row. The server trusts loopback as a proxy, so
 * each test plays several client addresses through {@code X-Forwarded-For}; each starts on a fresh clock minute.
 */
class RefusalBudgetTest extends ProxiedClientsTest {
    private static final Pattern COUNTED = Pattern.compile("^(\\d+) more refused request");
    private Instant minute;

    @BeforeEach
    void freshMinute() {
        clock.advanceToNextMinute();
        minute = clock.instant();
    }

    @Test
    void unknownFunnelMarksAreLimitedPerAddressLikeBadTokens() {
        String body = Payloads.ableSeed("fm_no_such_funnel_mark");
        for (int i = 0; i < IngestPipeline.UNAUTHENTICATED_LIMIT_PER_MINUTE; i++) {
            assertThat(able("203.0.113.1", body).status()).as("refusal %d", i).isEqualTo(401);
        }
        Response limited = able("203.0.113.1", body);
        assertThat(assertError(limited, 429, "rate_limited")).containsEntry("type", "rate_limit_error");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");

        assertError(able("203.0.113.2", body), 401, "funnel_mark_invalid"); // another address has its own limit
        assertError(http.postJson(CometlyRoutes.EVENTS, "tp_no_such_token", Payloads.MINIMUM,
                Map.of("X-Forwarded-For", "203.0.113.1")), 429, "rate_limited"); // one limit for both kinds
    }

    @Test
    void largeRefusedBodiesDoNotGrowTheStore() throws Exception {
        String body = Payloads.ableSeed("fm_no_such_funnel_mark").replace("\"resource\":{",
                "\"resource\":{\"padding\":\"" + "x".repeat(900 * 1024) + "\",");
        long before = storeBytes();
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Response r = able("198.51.100.7", body);
            assertError(r, 401, "funnel_mark_invalid");
            requestIds.add(r.header("Request-Id"));
        }
        assertThat(storeBytes() - before).as("store growth after forty 900 KB refusals").isLessThan(1024 * 1024);

        List<Map<String, Object>> rows = refusals("funnel_mark_invalid");
        assertThat(rows).hasSize(RefusalLog.FULL_PER_KEY);
        assertThat(rows).allSatisfy(e -> assertThat(((String) e.get("payload")).length()).isLessThan(1100));
        assertThat(rows).extracting(e -> e.get("request_id"))
                .containsExactlyInAnyOrderElementsOf(requestIds.subList(0, RefusalLog.FULL_PER_KEY));

        clock.advance(Duration.ofMinutes(1));
        Map<String, Object> summary = awaitSummary("funnel_mark_invalid");
        assertThat(counted(summary)).isEqualTo(40 - RefusalLog.FULL_PER_KEY);
        assertThat(summary).containsEntry("request_id", requestIds.get(39)).containsEntry("http_status", 401)
                .containsEntry("workspace_id", null);
        assertThat((String) map(summary.get("error")).get("message")).contains("198.51.100.7");
        assertThat(((String) summary.get("payload")).length()).isLessThan(1100);
    }

    @Test
    void aWorkspacesOwn429sAreCountedNotWrittenOneByOne() {
        String token = workspaceLimitedTo(1);
        assertThat(http.postJson(CometlyRoutes.EVENTS, token, Payloads.MINIMUM).status()).isEqualTo(202);
        List<String> limited = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Response r = http.postJson(CometlyRoutes.EVENTS, token, Payloads.MINIMUM);
            assertError(r, 429, "rate_limited");
            limited.add(r.header("Request-Id"));
        }
        // the first ones are in the log at once, found by request id as any refusal of the workspace
        Response first = http.get("/api/v1/events-log/" + limited.get(0), token);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        List<Map<String, Object>> rows = list(http.get("/api/v1/events-log?outcome=rejected&limit=100", token).json().get("data"));
        assertThat(rows).hasSize(RefusalLog.FULL_PER_KEY);

        clock.advance(Duration.ofMinutes(1));
        Map<String, Object> summary = awaitRow(() -> list(http.get("/api/v1/events-log?outcome=rejected&limit=100", token)
                .json().get("data")).stream().filter(e -> COUNTED.matcher(message(e)).find()).findFirst().orElse(null));
        assertThat(counted(summary)).isEqualTo(40 - RefusalLog.FULL_PER_KEY);
        assertThat(summary).containsEntry("request_id", limited.get(39)).containsEntry("http_status", 429);
    }

    @Test
    void refusalsFromManyAddressesShareAFixedBudget() {
        String body = Payloads.ableSeed("fm_unknown_from_many");
        int addresses = RefusalLog.MAX_UNATTRIBUTED_KEYS + 50;
        for (int a = 0; a < addresses; a++) {
            for (int i = 0; i < 2; i++) assertError(able("10.9." + a / 250 + "." + a % 250, body), 401, "funnel_mark_invalid");
        }
        List<Map<String, Object>> written = refusals("funnel_mark_invalid");
        assertThat(written).hasSize(RefusalLog.UNATTRIBUTED_FULL_PER_MINUTE);

        clock.advance(Duration.ofMinutes(1));
        awaitRow(() -> refusals("funnel_mark_invalid").stream().filter(e -> message(e).contains(RefusalLog.OTHER_ADDRESSES))
                .findFirst().orElse(null));
        List<Map<String, Object>> all = refusals("funnel_mark_invalid");
        long summaries = all.stream().filter(e -> COUNTED.matcher(message(e)).find()).count();
        long accounted = all.stream().mapToLong(e -> COUNTED.matcher(message(e)).find() ? counted(e) : 1).sum();
        assertThat(accounted).as("every refusal written or counted").isEqualTo(2L * addresses);
        assertThat(summaries).as("one summary per address past the budget, one for the addresses past the cap")
                .isLessThanOrEqualTo(RefusalLog.MAX_UNATTRIBUTED_KEYS + 1);
    }

    // ---- helpers ----

    private Response able(String address, String body) {
        return http.postJson(AbleRoutes.EVENT, null, body, Map.of("X-Forwarded-For", address));
    }

    /** The rejected rows of no workspace with this error code received in this test's minute. */
    private List<Map<String, Object>> refusals(String code) {
        Response r = http.get("/api/v1/events-log?outcome=rejected&limit=500&from=" + minute.toEpochMilli() + "&to="
                + minute.plus(Duration.ofMinutes(1)).toEpochMilli(), TestServer.ADMIN_TOKEN);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return list(r.json().get("data")).stream().filter(e -> e.get("workspace_id") == null)
                .filter(e -> code.equals(map(e.get("error")).get("code"))).toList();
    }

    private Map<String, Object> awaitSummary(String code) {
        return awaitRow(() -> refusals(code).stream().filter(e -> COUNTED.matcher(message(e)).find()).findFirst().orElse(null));
    }

    private static Map<String, Object> awaitRow(java.util.function.Supplier<Map<String, Object>> find) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> found = find.get();
            if (found != null) return found;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no summary row within 10 s of the minute's end");
    }

    private static String message(Map<String, Object> entry) {
        return String.valueOf(map(entry.get("error")).get("message"));
    }

    private static long counted(Map<String, Object> summary) {
        Matcher m = COUNTED.matcher(message(summary));
        assertThat(m.find()).as(message(summary)).isTrue();
        return Long.parseLong(m.group(1));
    }

    private long storeBytes() {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file removed meanwhile (the WAL's index) holds nothing
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String workspaceLimitedTo(int perMinute) {
        Response r = http.postJson("/admin/v1/workspaces", TestServer.ADMIN_TOKEN,
                "{\"name\":\"limited-" + UUID.randomUUID() + "\",\"rate_limit_per_minute\":" + perMinute + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return (String) map(r.json().get("token")).get("token");
    }
}
