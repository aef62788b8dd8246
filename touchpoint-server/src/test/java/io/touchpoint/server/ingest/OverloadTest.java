package io.touchpoint.server.ingest;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 503 with Retry-After when the ingest queue is full. The queue holds one record; another
 * connection holds SQLite's write lock so that the writer cannot commit, which keeps that record queued.
 */
class OverloadTest extends ServerTest {
    private static final Pattern QUEUE_DEPTH = Pattern.compile("(?m)^touchpoint_ingest_queue_depth(?:\\{[^}]*})? (\\S+)$");

    @Override
    protected Map<String, String> settings() {
        return Map.of("ingest.queue-capacity", "1");
    }

    @Test
    void aFullQueueIs503WithRetryAfterAndNothingIsLost() throws Exception {
        Ws ws = newWorkspace();
        CompletableFuture<Response> first;
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
             Statement s = lock.createStatement()) {
            s.execute("BEGIN IMMEDIATE"); // the store's busy timeout (10 s) makes the writer wait, not fail
            try {
                first = CompletableFuture.supplyAsync(() -> http.postJson("/public-api/v1/events", ws.token(),
                        "{\"event_name\":\"purchase\",\"email\":\"first@example.com\"}"));
                awaitQueueDepth(1);

                Response single = http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM);
                Response batch = http.postJson("/public-api/v1/events/batch", ws.token(),
                        "{\"events\":[" + Payloads.MINIMUM + "]}");
                for (Response r : new Response[] {single, batch}) {
                    assertThat(assertError(r, 503, "overloaded")).containsEntry("type", "api_error");
                    assertThat(Long.parseLong(r.header("Retry-After"))).isPositive();
                    assertThat(r.header("X-RateLimit-Limit")).isNotBlank();
                }
                assertThat(first).isNotDone();
                assertThat(http.get("/healthz", null).status()).isEqualTo(200);
            } finally {
                s.execute("ROLLBACK");
            }
        }
        Response accepted = first.get(15, TimeUnit.SECONDS);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(server.store().events().find(ws.id(), (String) accepted.json().get("id"))).isPresent();
        assertThat(http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM).status()).isEqualTo(202);
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    private void awaitQueueDepth(int depth) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        double seen = -1;
        while (Instant.now().isBefore(deadline)) {
            Matcher m = QUEUE_DEPTH.matcher(http.get("/metrics", null).body());
            assertThat(m.find()).as("queue depth gauge in /metrics").isTrue();
            seen = Double.parseDouble(m.group(1));
            if (seen == depth) return;
            Thread.sleep(10);
        }
        throw new AssertionError("queue depth stayed " + seen + ", expected " + depth);
    }
}
