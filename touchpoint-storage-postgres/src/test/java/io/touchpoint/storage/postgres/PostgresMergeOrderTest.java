package io.touchpoint.storage.postgres;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.stage.Stage;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes resolve two partitions' events at once (one workspace each, so their steps never wait on one another's
 * workspace versions) while a reader notes, as the attribution stage does, the highest merge id it sees: no merge below
 * an id a reader has seen may appear later, or attribution, which takes merges in id order, would pass over it.
 */
class PostgresMergeOrderTest {
    private static final String LOG = "touchpoint-ingest";
    private static final int PEOPLE = 150;

    @Test
    void mergesBecomeVisibleInIdOrderWhateverProcessMakesThem() throws Exception {
        String url = PostgresTestDatabase.freshSchemaUrl();
        Workspace a = Fixtures.workspace("acme");
        Workspace b = Fixtures.workspace("bolt");
        try (PostgresStore one = new PostgresStore(url, null, null); PostgresStore two = new PostgresStore(url, null, null);
             Connection reader = DriverManager.getConnection(url)) {
            one.workspaces().create(a);
            one.workspaces().create(b);
            // each person is seen on a laptop, then by e-mail, then both at once: one merge a person
            store(one, 0, people(a));
            store(two, 1, people(b));

            AtomicBoolean stepping = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> steppers = List.of(
                    step(one.stages().identity().byPartition(() -> Set.of(0)), stepping, failures),
                    step(two.stages().identity().byPartition(() -> Set.of(1)), stepping, failures));
            List<long[]> seen = new ArrayList<>(); // {highest id seen, merges seen at or below it}
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            TreeSet<Long> ids = new TreeSet<>();
            while (ids.size() < 2 * PEOPLE && System.nanoTime() < until) {
                ids = mergeIds(reader);
                if (!ids.isEmpty()) seen.add(new long[]{ids.last(), ids.size()});
            }
            stepping.set(false);
            for (Thread t : steppers) t.join();

            assertThat(failures).isEmpty();
            TreeSet<Long> all = mergeIds(reader);
            assertThat(all).hasSize(2 * PEOPLE);
            for (long[] s : seen) {
                assertThat(all.headSet(s[0], true)).as("merges at or below id %d", s[0]).hasSize((int) s[1]);
            }
            assertThat(seen).hasSizeGreaterThan(5);
        }
    }

    private static List<Event> people(Workspace ws) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            Identifier laptop = new Identifier(IdentifierType.VISITOR_TOKEN, "t" + i);
            Identifier email = new Identifier(IdentifierType.EMAIL, "p" + i + "@shop.io");
            out.add(event(ws, i, laptop));
            out.add(event(ws, i, email));
            out.add(event(ws, i, laptop, email));
        }
        return out;
    }

    private static Event event(Workspace ws, int n, Identifier... ids) {
        var at = Fixtures.T0.plusSeconds(n);
        return new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + Ids.event(), at, at, "page_view", List.of(ids), Person.EMPTY,
                new Context(null, null, null, null, null, null), null, null, false, null, "{}");
    }

    /** Stores a partition's events as its store writer does, in its order, with its offsets. */
    private static void store(PostgresStore store, int partition, List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            IngestRecord r = Fixtures.accepted(events.get(i), events.get(i).requestId());
            assertThat(store.ingest().commitFromLog(LOG, partition, i, i + 1, List.of(r))).isPresent();
        }
    }

    /** Steps a stage in small batches on a thread of its own, as a process's runner does. */
    private static Thread step(Stage stage, AtomicBoolean stepping, ConcurrentLinkedQueue<Throwable> failures) {
        return Thread.ofPlatform().start(() -> {
            while (stepping.get()) {
                try {
                    if (stage.step(5) == 0) Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    failures.add(e);
                    return;
                }
            }
        });
    }

    private static TreeSet<Long> mergeIds(Connection c) throws Exception {
        TreeSet<Long> out = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM identity_merges")) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }
}
