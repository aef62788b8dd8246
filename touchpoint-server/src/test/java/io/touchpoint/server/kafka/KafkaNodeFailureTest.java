package io.touchpoint.server.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.KafkaTestBroker;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault test of Kafka mode: two Touchpoint nodes (processes of their own) take a steady load; one is killed
 * (SIGKILL) in the middle of it, then the broker is killed and started again while the other keeps answering. Every
 * event a node acknowledged must end up stored exactly once, under the id the sender was given; events nobody
 * acknowledged may be stored or not, but never twice; and the surviving node's stages resolve and attribute them all,
 * the killed node's partitions included.
 */
class KafkaNodeFailureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventIsStoredExactlyOnceThroughANodeKillAndABrokerRestart() throws Exception {
        String db = PostgresTestDatabase.freshSchemaUrl();
        try (KafkaTestBroker broker = KafkaTestBroker.startNew()) {
            Map<String, String> env = new HashMap<>(Map.of("TOUCHPOINT_DB", db, "TOUCHPOINT_INGEST_LOG", "kafka",
                    "TOUCHPOINT_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "TOUCHPOINT_KAFKA_PARTITIONS", "4",
                    "TOUCHPOINT_KAFKA_REPLICATION_FACTOR", "1", "TOUCHPOINT_KAFKA_ACK_TIMEOUT_MS", "5000"));
            ServerProcess.CreatedWorkspace ws = ServerProcess.createWorkspace(dir.resolve("cli"), "acme", "--db", db);
            try (ServerProcess one = ServerProcess.start(dir.resolve("one"), env);
                 ServerProcess two = ServerProcess.start(dir.resolve("two"), env)) {
                List<HttpTestClient> nodes = List.of(one.http, two.http);
                for (ServerProcess node : List.of(one, two)) warmUp(node, ws.token()); // the producers have the topic's metadata
                Map<String, String> acknowledged = new ConcurrentHashMap<>(); // marker -> event id
                AtomicInteger sent = new AtomicInteger();
                Map<String, Integer> statuses = new ConcurrentHashMap<>();
                AtomicBoolean running = new AtomicBoolean(true);
                try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int s = 0; s < 6; s++) {
                        senders.submit(() -> {
                            while (running.get()) {
                                int n = sent.incrementAndGet();
                                String marker = "buyer-" + n + "@example.com";
                                try {
                                    HttpTestClient.Response r = nodes.get(n % 2).postJson("/public-api/v1/events", ws.token(),
                                            "{\"event_name\":\"purchase\",\"email\":\"" + marker + "\",\"amount\":" + n + "}");
                                    statuses.merge(r.status() == 202 ? "202" : r.status() + " " + r.error().get("code"), 1, Integer::sum);
                                    if (r.status() == 202) acknowledged.put(marker, (String) r.json().get("id"));
                                } catch (RuntimeException connectionRefusedOrReset) {
                                    // the killed node: not acknowledged
                                }
                            }
                            return null;
                        });
                    }
                    Thread.sleep(4000);
                    one.kill();
                    int atKill = acknowledged.size();
                    Thread.sleep(2000);
                    broker.kill();
                    Thread.sleep(2000);
                    broker.start();
                    Thread.sleep(6000);
                    running.set(false);
                    assertThat(atKill).as("acknowledged before the node was killed; answers: %s", statuses).isPositive();
                }
                int acked = acknowledged.size();
                assertThat(acked).isLessThan(sent.get());

                Map<String, List<String>> stored = new HashMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline) {
                    stored = storedByEmail(db, ws.id());
                    if (stored.keySet().containsAll(acknowledged.keySet())) break;
                    Thread.sleep(250);
                }
                for (Map.Entry<String, String> a : acknowledged.entrySet()) {
                    assertThat(stored.get(a.getKey())).as("stored events for %s", a.getKey()).containsExactly(a.getValue());
                }
                // the warm-up event was sent until one was acknowledged: not one of the load's
                stored.remove("warm@example.com");
                assertThat(stored.values()).as("no event stored twice").allSatisfy(ids -> assertThat(ids).hasSize(1));
                // the surviving node's stages finish the killed node's partitions: every stored event resolved to a
                // profile and made a conversion, each partition's identity and attribution positions at its last event
                String processed = "SELECT (SELECT COUNT(*) FROM events) = (SELECT COUNT(*) FROM identity_event_profiles)"
                        + " AND (SELECT COUNT(*) FROM events) = (SELECT COUNT(*) FROM attribution_conversions)"
                        + " AND NOT EXISTS (SELECT 1 FROM stage_partition_cursors s WHERE s.stage IN ('identity', 'attribution')"
                        + " AND s.seq < (SELECT MAX(seq) FROM events e WHERE e.log_partition = s.log_partition))";
                while (!holds(db, processed)) {
                    assertThat(System.nanoTime()).as("the stages caught up within 90 s").isLessThan(deadline + Duration.ofSeconds(90).toNanos());
                    Thread.sleep(250);
                }
                assertThat(two.isAlive()).isTrue();
            }
        }
    }

    private static void warmUp(ServerProcess node, String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (node.http.postJson("/public-api/v1/events", token, "{\"event_name\":\"purchase\",\"email\":\"warm@example.com\",\"amount\":1}")
                .status() != 202) {
            if (System.nanoTime() > deadline) {
                String log = node.log();
                throw new AssertionError("the node never acknowledged an event: " + log.substring(Math.max(0, log.length() - 3000)));
            }
            Thread.sleep(200);
        }
    }

    private static boolean holds(String db, String condition) throws Exception {
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(condition)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Every stored event's e-mail with the ids stored for it. */
    private static Map<String, List<String>> storedByEmail(String db, String workspaceId) throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, body FROM events WHERE workspace_id = '" + workspaceId + "'")) {
            while (rs.next()) {
                JsonNode email = JSON.readTree(rs.getString(2)).path("person").path("email");
                out.computeIfAbsent(email.asText(), k -> new java.util.ArrayList<>()).add(rs.getString(1));
            }
        }
        return out;
    }
}
