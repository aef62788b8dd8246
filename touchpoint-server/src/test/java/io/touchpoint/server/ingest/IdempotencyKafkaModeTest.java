package io.touchpoint.server.ingest;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.SharedKafkaBroker;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link IdempotencyTest}'s cases in Kafka mode: two nodes on one PostgreSQL and a real broker, requests spread over
 * both, a key sent to both at once included (each node tells its first sender accepted; one event is stored and the
 * events log shows every other request as its duplicate).
 */
class IdempotencyKafkaModeTest extends IdempotencyTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private Map<String, String> settings;
    private TestServer other;

    @Override
    protected Map<String, String> settings() {
        if (settings == null) {
            int run = RUNS.incrementAndGet();
            settings = Map.of("db", PostgresTestDatabase.freshSchemaUrl(), "ingest.log", "kafka",
                    "kafka.bootstrap-servers", SharedKafkaBroker.get().bootstrapServers(), "kafka.topic", "idempotency-" + run,
                    "kafka.group", "touchpoint-idempotency-" + run, "kafka.partitions", "4", "kafka.replication-factor", "1");
        }
        return settings;
    }

    @BeforeAll
    void startOtherNode(@TempDir Path dir) {
        other = TestServer.start(dir, settings());
    }

    @AfterAll
    void stopOtherNode() {
        if (other != null) other.close();
    }

    @Override
    protected HttpTestClient node(int i) {
        return i == 0 ? http : other.http;
    }

    @Override
    protected int nodes() {
        return 2;
    }
}
