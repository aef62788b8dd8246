package io.touchpoint.server.identity;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.storage.sqlite.SqliteStore;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.IdentityPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor's restart-safe cursor: a server process killed with SIGKILL while it is resolving a backlog, then
 * started again, ends with exactly the graph (profiles, links and which profile each event went to) that an
 * uninterrupted run over a copy of the same database builds.
 */
class IdentityCrashTest {
    private static final Pattern CURSOR = Pattern.compile("(?m)^touchpoint_identity_cursor(?:\\{[^}]*})? ([0-9.Ee+]+)");
    private static final Pattern LAG = Pattern.compile("(?m)^touchpoint_identity_lag_events(?:\\{[^}]*})? ([0-9.Ee+]+)");
    /** Every stage's lag: a clean stop drains the stages, so the test stops the server once they are all at rest. */
    private static final Pattern ANY_LAG = Pattern.compile("(?m)^touchpoint_\\w+_lag_events(?:\\{[^}]*})? ([0-9.Ee+]+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void killingTheProcessorMidBatchAndRestartingBuildsTheSameGraph() throws Exception {
        Path data = dir.resolve("data");
        ServerProcess.CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        List<String> eventIds = new ArrayList<>();
        try (Store store = SqliteStore.inFolder(data)) {
            Random rnd = new Random(42);
            for (int b = 0; b < 30; b++) {
                List<IngestRecord> batch = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    Event e = event(ws.id(), rnd, b * 1000 + i);
                    eventIds.add(e.id());
                    batch.add(Fixtures.accepted(e, "req_" + b));
                }
                store.ingest().commit(batch);
            }
        }
        Path reference = dir.resolve("reference");
        Files.createDirectories(reference);
        Files.copy(data.resolve(SqliteStore.FILE_NAME), reference.resolve(SqliteStore.FILE_NAME));

        long cursorAtKill;
        // batches smaller than the backlog, so that the kill finds some committed and one under way
        try (ServerProcess server = ServerProcess.start(data, Map.of("TOUCHPOINT_IDENTITY_QUIET_BATCH", "5000"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long cursor = 0;
            while (cursor == 0 && System.nanoTime() < deadline) {
                cursor = metric(server, CURSOR);
                if (cursor == 0) Thread.sleep(5);
            }
            cursorAtKill = cursor;
            assertThat(server.kill()).isEqualTo(137);
        }
        try (Store store = SqliteStore.inFolder(data)) {
            long atRest = store.stages().identity().cursor();
            assertThat(atRest).as("killed part-way through the backlog").isGreaterThan(0).isLessThan(30_000);
            System.out.printf("identity crash: cursor %d seen on /metrics, %d committed at SIGKILL of 30000%n", cursorAtKill, atRest);
        }

        try (ServerProcess again = ServerProcess.start(data)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while ((metric(again, CURSOR) < 30_000 || metric(again, LAG) > 0) && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(metric(again, LAG)).isZero();
            while (totalLag(again) > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(again.terminate(Duration.ofSeconds(30))).isZero();
        }

        try (Store crashed = SqliteStore.inFolder(data); Store uninterrupted = SqliteStore.inFolder(reference)) {
            while (uninterrupted.stages().identity().step(500) > 0) {
                // one uninterrupted run
            }
            assertThat(crashed.stages().identity().cursor()).isEqualTo(uninterrupted.stages().identity().cursor());
            Map<String, java.util.Set<String>> graph = IdentityPartition.ofSqlite(data.resolve(SqliteStore.FILE_NAME), ws.id());
            assertThat(graph).isEqualTo(IdentityPartition.ofSqlite(reference.resolve(SqliteStore.FILE_NAME), ws.id()));
            assertThat(graph.size()).as("merges happened: fewer profiles than visitors").isBetween(10, 3000);
            for (int i = 0; i < eventIds.size(); i += 500) {
                List<String> slice = eventIds.subList(i, Math.min(eventIds.size(), i + 500));
                assertThat(crashed.identity().profilesOfEvents(ws.id(), slice))
                        .hasSize(slice.size())
                        .isEqualTo(uninterrupted.identity().profilesOfEvents(ws.id(), slice));
            }
        }
    }

    private static long totalLag(ServerProcess server) {
        Matcher m = ANY_LAG.matcher(server.http.get("/metrics", null).body());
        long sum = 0;
        while (m.find()) sum += (long) Double.parseDouble(m.group(1));
        return sum;
    }

    private static long metric(ServerProcess server, Pattern p) {
        String body = server.http.get("/metrics", null).body();
        Matcher m = p.matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** 3000 visitors, 1500 people: tokens, emails, fingerprints and click ids with overlap. */
    static Event event(String ws, Random rnd, int n) {
        int visitor = rnd.nextInt(3000);
        int person = visitor / 2;
        List<Identifier> ids = new ArrayList<>();
        ids.add(new Identifier(IdentifierType.VISITOR_TOKEN, "tok" + visitor));
        if (rnd.nextInt(4) == 0) ids.add(new Identifier(IdentifierType.EMAIL, "p" + person + "@shop.io"));
        if (rnd.nextInt(6) == 0) ids.add(new Identifier(IdentifierType.FINGERPRINT, "fp" + (visitor % 700)));
        if (rnd.nextInt(5) == 0) ids.add(new Identifier(IdentifierType.GCLID, "g" + rnd.nextInt(5000)));
        var at = Fixtures.T0.plusSeconds(n);
        return new Event(Ids.event(), ws, Source.COMETLY, "req", at, at, "page_view", ids, null,
                new Context("10.0." + (visitor % 7) + ".1", null, null, null, null, null), null, null, false, null, "{}");
    }
}
