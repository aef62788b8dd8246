package io.touchpoint.server.faults;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.support.EventsLogReader;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.IngestLoad;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.server.support.ServerProcess.CreatedWorkspace;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An acknowledged event is durable: a crash right after the answer loses nothing. The real server
 * runs as its own process under load from several threads and is killed with SIGKILL mid-stream (no shutdown
 * hook, no flush, no goodbye); started again on the same data folder, it still has every event it answered
 * 202 for, and still knows their idempotency keys.
 */
class CrashSafetyTest {
    static final int SENDERS = 8;

    /** Arguments that choose the store of every server process and command; none is the embedded SQLite. */
    protected String[] storeArgs() {
        return new String[0];
    }

    /** The store the server processes used, opened directly for the last check. */
    protected Store openStore(Path data) {
        return SqliteStore.inFolder(data);
    }
    static final int MIN_ACKNOWLEDGED = 500;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void everyAcknowledgedEventSurvivesSigkillUnderLoad() throws Exception {
        Path data = dir.resolve("data");
        String[] storeArgs = storeArgs();
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme", storeArgs);

        Map<String, String> acknowledged;
        int inFlightAtKill;
        try (ServerProcess server = ServerProcess.start(data, Map.of(), storeArgs);
             IngestLoad load = IngestLoad.start(server.baseUrl(), ws.token(), SENDERS, "crash")) {
            load.awaitAcknowledged(MIN_ACKNOWLEDGED, Duration.ofSeconds(60));
            int before = load.acknowledgedCount();
            Thread.sleep(1_500); // a steady stream, not just its first requests
            int during = load.acknowledgedCount() - before;
            assertThat(load.running()).as("every sender still sending when the kill lands").isEqualTo(SENDERS);
            load.awaitInFlight(Duration.ofSeconds(10));
            inFlightAtKill = load.inFlight();

            int exit = server.kill();

            assertThat(server.isAlive()).isFalse();
            assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
            load.awaitSendersEnded(Duration.ofSeconds(30));
            assertThat(load.unexpected()).as("answers other than 202 or 503 before the kill").isEmpty();
            assertThat(load.connectionFailures()).as("each sender ends on a refused or cut connection")
                    .hasSize(SENDERS);
            acknowledged = load.acknowledged();
            System.out.printf("crash: %d sent, %d acknowledged (%d in the last 1.5 s), %d overloaded, %d in flight"
                    + " at SIGKILL%n", load.sent(), acknowledged.size(), during, load.overloaded(), inFlightAtKill);
        }
        assertThat(acknowledged).as("enough load for the test to mean something").hasSizeGreaterThanOrEqualTo(MIN_ACKNOWLEDGED);
        assertThat(inFlightAtKill).isPositive();

        try (ServerProcess again = ServerProcess.start(data, Map.of(), storeArgs)) {
            Map<String, String> stored = EventsLogReader.acceptedEvents(again.http, TestServer.ADMIN_TOKEN, ws.id());
            List<String> missing = new ArrayList<>();
            acknowledged.forEach((key, id) -> {
                if (!key.equals(stored.get(id))) missing.add(key + "=" + id);
            });
            assertThat(missing).as("acknowledged events missing from the events log after SIGKILL").isEmpty();

            // the idempotency keys were committed with the events: sending one again is a duplicate of the first
            int checked = 0;
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                if (checked++ == 25) break;
                HttpTestClient.Response r = again.http.postJson("/public-api/v1/events", ws.token(),
                        "{\"event_name\":\"purchase\",\"email\":\"again@example.com\",\"idempotency_key\":\""
                                + e.getKey() + "\"}");
                assertThat(r.status()).isEqualTo(202);
                assertThat(r.json()).containsEntry("outcome", "duplicate").containsEntry("id", e.getValue());
            }
            assertThat(again.terminate(Duration.ofSeconds(10))).isEqualTo(0);
        }

        // and the canonical events themselves, read straight from the store
        try (Store store = openStore(data)) {
            List<String> missing = new ArrayList<>();
            acknowledged.forEach((key, id) -> {
                Optional<Event> e = store.events().find(ws.id(), id);
                if (e.isEmpty() || !key.equals(e.get().idempotencyKey())) missing.add(key + "=" + id);
            });
            assertThat(missing).as("acknowledged events missing from the events table").isEmpty();
        }
    }
}
