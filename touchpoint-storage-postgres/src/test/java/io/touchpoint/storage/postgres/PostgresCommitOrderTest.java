package io.touchpoint.storage.postgres;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two stores on one database (two ingest processes) commit events at once while a reader, as a processing stage does,
 * notes the highest sequence number it sees: no event below a number a reader has seen may appear later, or a stage
 * following the sequence would pass over it for good.
 */
class PostgresCommitOrderTest {
    @Test
    void eventsBecomeVisibleInSequenceOrderWhateverProcessCommitsThem() throws Exception {
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore one = new PostgresStore(url, null, null); PostgresStore two = new PostgresStore(url, null, null);
             Connection reader = DriverManager.getConnection(url)) {
            Workspace ws = Fixtures.workspace("acme");
            one.workspaces().create(ws);
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                PostgresStore store = w % 2 == 0 ? one : two;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        Event e = Fixtures.fullEvent(ws, null);
                        store.ingest().commit(List.of(Fixtures.accepted(e, e.requestId())));
                    }
                }));
            }
            List<long[]> seen = new ArrayList<>(); // {highest seen, count seen at or below it}
            while (writing.get()) {
                TreeSet<Long> visible = sequences(reader);
                if (!visible.isEmpty()) seen.add(new long[]{visible.last(), visible.size()});
                if (done.stream().allMatch(Future::isDone)) writing.set(false);
            }
            for (Future<?> f : done) f.get();
            writers.shutdown();

            TreeSet<Long> all = sequences(reader);
            assertThat(all).hasSize(360);
            for (long[] s : seen) {
                assertThat(all.headSet(s[0], true)).as("events at or below sequence %d", s[0]).hasSize((int) s[1]);
            }
            assertThat(seen).hasSizeGreaterThan(5);
        }
    }

    private static TreeSet<Long> sequences(Connection c) throws Exception {
        TreeSet<Long> out = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM events")) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }
}
