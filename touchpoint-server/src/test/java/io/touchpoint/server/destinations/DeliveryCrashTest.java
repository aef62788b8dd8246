package io.touchpoint.server.destinations;

import io.touchpoint.server.cli.Main;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.server.support.ServerProcess.CreatedWorkspace;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination connected from the command line, then the server killed with SIGKILL while a request to the
 * platform is in flight (the platform keeps what it received; the server never hears back). After a restart every
 * conversion reaches the platform and is counted exactly once: the entries not recorded as sent are sent again with
 * the same dedup keys.
 */
class DeliveryCrashTest {
    static final int CONVERSIONS = 200;
    static final String PIXEL = "777000111222333";
    static final String TOKEN = "EAAB-crash";

    @TempDir
    Path dir;

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    @Timeout(180)
    void deliveriesSurviveSigkillMidRequestAndArriveExactlyOnce() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        try (FakeMeta meta = new FakeMeta(PIXEL, TOKEN)) {
            String added = cli("destination", "add", "acme", "meta", "--name", "Meta main", "-s", "pixel_id=" + PIXEL,
                    "-s", "access_token=" + TOKEN, "--base-url", meta.baseUrl(), "--data", data.toString(), "--json");
            Map<String, Object> destination = HttpTestClient.parse(added);
            assertThat(added).doesNotContain(TOKEN);
            String dst = (String) destination.get("id");
            meta.delay(Duration.ofSeconds(3));

            List<String> keys = new ArrayList<>();
            try (ServerProcess server = ServerProcess.start(data)) {
                for (int i = 0; i < CONVERSIONS; i++) {
                    String key = "order-" + i;
                    HttpTestClient.Response r = server.http.postJson("/public-api/v1/events", ws.token(),
                            "{\"event_name\":\"purchase\",\"email\":\"p" + i + "@example.com\",\"amount\":10,\"idempotency_key\":\"" + key + "\"}");
                    assertThat(r.status()).as(r.body()).isEqualTo(202);
                    keys.add(key);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (meta.requests().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
                assertThat(meta.requests()).as("a request to the platform is in flight").isNotEmpty();
                assertThat(server.kill()).isEqualTo(137);
            }
            meta.delay(Duration.ZERO);

            try (ServerProcess server = ServerProcess.start(data)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                Map<String, Object> stats = Map.of();
                while (System.nanoTime() < deadline) {
                    HttpTestClient.Response r = server.http.get("/admin/v1/destinations/" + dst, TestServer.ADMIN_TOKEN);
                    @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) r.json().get("stats");
                    stats = s;
                    if (((Number) s.get("sent")).intValue() == CONVERSIONS) break;
                    Thread.sleep(100);
                }
                assertThat(stats).containsEntry("sent", CONVERSIONS).containsEntry("pending", 0).containsEntry("retrying", 0)
                        .containsEntry("dead", 0);
                server.terminate(Duration.ofSeconds(20));
            }
            int received = 0;
            for (String key : keys) {
                String dedup = FakeMeta.dedupKey("Purchase", key);
                assertThat(meta.acceptedCount(dedup)).as(key).isEqualTo(1);
                received += meta.receivedCount(dedup);
            }
            assertThat(received).as("what was in flight at the kill was sent again").isGreaterThan(CONVERSIONS);
            assertThat(meta.violations()).isEmpty();

            String listed = cli("destination", "list", "acme", "--data", data.toString());
            assertThat(listed).contains(dst).contains("Meta main").contains(String.valueOf(CONVERSIONS));
            String replayed = cli("destination", "replay", dst, "--event", "nope", "--data", data.toString());
            assertThat(replayed).contains("0 deliveries");
        }
    }
}
