package io.touchpoint.storage.postgres;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.stage.AttributionStage;
import io.touchpoint.core.stage.Stage;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.LogOffsets;
import io.touchpoint.tests.PostgresTestDatabase;
import io.touchpoint.tests.Steppers;
import io.touchpoint.tests.Steppers.Counted;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka mode's identity and attribution stages by log partition, on one PostgreSQL shared by two stores (two
 * processes), each stepping the partitions it is given: the graph, the credits and the rollup come out as one
 * sequential run over the same events makes them, including people whose events sit in two partitions, an unmerge and
 * an erasure made while the partitions are being stepped; and a partition that moves from one process to the other
 * mid-stream has each of its events resolved, and attributed, exactly once.
 */
class PostgresPartitionedStagesTest {
    private static final String[] ADS = {"https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring",
            "https://shop.example/?gclid=G1", "https://shop.example/?utm_source=newsletter&utm_medium=email", "https://shop.example/"};

    /** An event to store: from a partition of the log (null: stored without the log). */
    private record Item(Integer partition, Event event) {
    }

    private final Workspace a = Fixtures.workspace("alpha");
    private final Workspace b = Fixtures.workspace("beta");
    private final Random random = new Random(28);
    private int hours;

    @Test
    void partitionsSteppedByTwoProcessesComeOutAsOneSequentialRun() throws Exception {
        // people whose events sit in both partitions (and some stored without the log), in two workspaces
        List<Item> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) first.addAll(person(i % 2 == 0 ? a : b, "p" + i, true));
        // one person of one partition whose merge is undone, one of two partitions who is erased
        List<Item> undone = List.of(
                item(0, a, "page_view", ADS[0], null, id(IdentifierType.VISITOR_TOKEN, "u-laptop")),
                item(0, a, "page_view", ADS[1], null, id(IdentifierType.EMAIL, "u@shop.io")),
                item(0, a, "purchase", null, "120", id(IdentifierType.VISITOR_TOKEN, "u-laptop"), id(IdentifierType.EMAIL, "u@shop.io")));
        first.addAll(undone);
        first.add(item(0, b, "page_view", ADS[0], null, id(IdentifierType.EMAIL, "e@shop.io")));
        first.add(item(1, b, "purchase", null, "70", id(IdentifierType.EMAIL, "e@shop.io"), id(IdentifierType.VISITOR_TOKEN, "e-phone")));
        Event erased = first.get(first.size() - 1).event();
        List<Item> second = new ArrayList<>();
        for (int i = 30; i < 60; i++) second.addAll(person(i % 2 == 0 ? a : b, "p" + i, true));

        String expected;
        String sequentialUrl = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore sequential = new PostgresStore(sequentialUrl, null, null)) {
            workspaces(sequential);
            for (Item i : first) sequential.ingest().commit(List.of(Fixtures.accepted(i.event(), i.event().requestId())));
            drain(sequential.stages().identity(), sequential.stages().attribution());
            unmergeAndErase(sequential, sequentialUrl, undone, erased);
            for (Item i : second) sequential.ingest().commit(List.of(Fixtures.accepted(i.event(), i.event().requestId())));
            drain(sequential.stages().identity(), sequential.stages().attribution());
            expected = outcome(sequentialUrl);
        }

        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore one = new PostgresStore(url, null, null); PostgresStore two = new PostgresStore(url, null, null)) {
            workspaces(one);
            Offsets offsets = new Offsets();
            try (Steppers steppers = steppers()) {
                steppers.run(one.stages().identity().byPartition(() -> Set.of(0)));
                steppers.run(two.stages().identity().byPartition(() -> Set.of(1)));
                steppers.run(one.stages().attribution().byPartition(() -> Set.of(0)));
                steppers.run(two.stages().attribution().byPartition(() -> Set.of(1)));
                offsets.store(one, first);
                awaitProcessed(url, first.size());
                // the unmerge and the erasure while both workspaces' events of both partitions are being resolved
                offsets.store(two, second.subList(0, second.size() / 2));
                unmergeAndErase(one, url, undone, erased);
                offsets.store(one, second.subList(second.size() / 2, second.size()));
                awaitProcessed(url, first.size() + second.size() - 2);
                assertThat(steppers.failures()).as("steps that failed other than on a moved position").isEmpty();
            }
            assertThat(outcome(url)).isEqualTo(expected);
        }
    }

    @Test
    void aPartitionThatMovesToAnotherProcessMidStreamHasEachEventResolvedOnce() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 120; i++) items.addAll(person(a, "m" + i, false));
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore one = new PostgresStore(url, null, null); PostgresStore two = new PostgresStore(url, null, null)) {
            workspaces(one);
            new Offsets().store(one, items);
            AtomicReference<Set<Integer>> ownedByOne = new AtomicReference<>(Set.of(0));
            AtomicReference<Set<Integer>> ownedByTwo = new AtomicReference<>(Set.of());
            Counted first = new Counted(one.stages().identity().byPartition(ownedByOne::get));
            Counted second = new Counted(two.stages().identity().byPartition(ownedByTwo::get));
            moveMidStream(first, second, ownedByOne, ownedByTwo, items.size(), () -> awaitResolved(url, items.size()));
            assertThat(first.handled.get() + second.handled.get()).as("events resolved, counted by the steps that committed them")
                    .isEqualTo(items.size());
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(longOf(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'identity' AND log_partition = 0"))
                        .isEqualTo(longOf(c, "SELECT MAX(seq) FROM events"));
            }

            ownedByOne.set(Set.of(0));
            ownedByTwo.set(Set.of());
            Counted firstAttribution = new Counted(one.stages().attribution().byPartition(ownedByOne::get));
            Counted secondAttribution = new Counted(two.stages().attribution().byPartition(ownedByTwo::get));
            moveMidStream(firstAttribution, secondAttribution, ownedByOne, ownedByTwo, items.size(), () -> awaitProcessed(url, items.size()));
            try (Connection c = DriverManager.getConnection(url)) {
                // a step's count is of events and merges: each merge is applied by one step, whichever track it is on
                long merges = longOf(c, "SELECT COUNT(*) FROM identity_merges WHERE outcome = 'merged'");
                assertThat(merges).isPositive();
                assertThat(firstAttribution.handled.get() + secondAttribution.handled.get())
                        .as("events and merges attributed, counted by the steps that committed them").isEqualTo(items.size() + merges);
                assertThat(longOf(c, "SELECT COUNT(*) FROM attribution_conversions"))
                        .isEqualTo(items.stream().filter(i -> !i.event().name().equals("page_view")).count());
                // a conversion's linear credits add up to one: a batch applied twice would count it twice
                assertThat(longOf(c, "SELECT ROUND(SUM(conversions)) FROM attribution_rollup WHERE model = 'linear'"))
                        .isEqualTo(longOf(c, "SELECT COUNT(DISTINCT event_id) FROM attribution_credits"));
                assertThat(longOf(c, "SELECT COUNT(*) FROM (SELECT event_id FROM attribution_touchpoints GROUP BY event_id"
                        + " HAVING COUNT(*) > 1) twice")).isZero();
                assertThat(longOf(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'attribution' AND log_partition = 0"))
                        .isEqualTo(longOf(c, "SELECT MAX(seq) FROM events"));
            }
        }
    }

    /**
     * Steps {@code first} until it has handled a quarter of the events, then moves the partition to {@code second}
     * as the group does (for a moment both step it, then only the new owner) and waits for {@code done}. Once the
     * move starts, {@code first} rests between its steps, as a process losing its partitions in a rebalance does,
     * so that it cannot finish the partition before {@code second} takes a step.
     */
    private static void moveMidStream(Counted first, Counted second, AtomicReference<Set<Integer>> ownedByOne,
                                      AtomicReference<Set<Integer>> ownedByTwo, int events, Waiter done) throws Exception {
        try (Steppers steppers = steppers()) {
            steppers.run(first);
            awaitCount(first, events / 4, steppers);
            first.rest = true;
            ownedByTwo.set(Set.of(0));
            steppers.run(second);
            awaitCount(second, 1, steppers);
            ownedByOne.set(Set.of());
            done.await();
            assertThat(steppers.failures()).isEmpty();
        }
        assertThat(second.handled.get()).isPositive();
    }

    private static void awaitCount(Counted stage, long handled, Steppers steppers) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (stage.handled.get() < handled) {
            assertThat(System.nanoTime()).as("waited for " + handled + " handled; failures: " + steppers.failures()).isLessThan(until);
            Thread.sleep(5);
        }
    }

    private interface Waiter {
        void await() throws Exception;
    }

    @Test
    void anEventSetAsideInAPartitionsAttributionIsPassedOverThenRetriedOnItsOwn() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) items.addAll(person(a, "s" + i, false));
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore store = new PostgresStore(url, null, null); Connection c = DriverManager.getConnection(url)) {
            workspaces(store);
            new Offsets().store(store, items);
            drain(store.stages().identity().byPartition(() -> Set.of(0)));
            long first = longOf(c, "SELECT MIN(seq) FROM events");
            AttributionStage stage = store.stages().attribution().byPartition(() -> Set.of(0));

            assertThat(store.setAside().setAside(SetAsideStore.Stage.ATTRIBUTION, first, "failed three times", 3)).isTrue();
            assertThat(longOf(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'attribution' AND log_partition = 0"))
                    .isEqualTo(first);
            drain(stage);
            String touchOfFirst = "SELECT COUNT(*) FROM attribution_touchpoints t JOIN events e ON e.id = t.event_id WHERE e.seq = " + first;
            assertThat(longOf(c, touchOfFirst)).isZero();
            assertThat(longOf(c, "SELECT COUNT(*) FROM attribution_touchpoints")).isPositive();
            assertThat(stage.cursor()).isEqualTo(longOf(c, "SELECT MAX(seq) FROM events"));

            assertThat(stage.processOne(first)).isTrue();
            assertThat(longOf(c, touchOfFirst)).isEqualTo(1);
            assertThat(longOf(c, "SELECT COUNT(*) FROM set_aside_events")).isZero();
        }
    }

    /** A store that ran Kafka mode before attribution went by partition: each partition starts at the global cursor. */
    @Test
    void theUpgradeStartsEachPartitionsAttributionAtTheGlobalCursor() throws Exception {
        try (PostgresStore store = upgradedAtGlobalCursor("attribution_partitions", "attribution_cursor")) {
            assertThat(store.stages().attribution().cursor()).isEqualTo(7);
        }
    }

    /** The same for delivery routing. */
    @Test
    void theUpgradeStartsEachPartitionsDeliveryAtTheGlobalCursor() throws Exception {
        try (PostgresStore store = upgradedAtGlobalCursor("delivery_partitions", "delivery_cursor")) {
            assertThat(store.destinations().frontier()).isEqualTo(7);
        }
    }

    /**
     * A store built up to before {@code migration} with identity positions in partitions 0 and 3 and the stage's
     * global cursor ({@code cursorTable}) at 7, then opened: the stage's position in each partition is 7.
     */
    private static PostgresStore upgradedAtGlobalCursor(String migration, String cursorTable) throws Exception {
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(migration) - 1);
            db.write(c -> {
                Statement s = c.createStatement();
                s.executeUpdate("INSERT INTO stage_partition_cursors (stage, log_partition, seq) VALUES ('identity', 0, 9), ('identity', 3, 4)");
                return s.executeUpdate("UPDATE " + cursorTable + " SET seq = 7 WHERE id = 1");
            });
        }
        PostgresStore store = new PostgresStore(url, null, null);
        String stage = cursorTable.substring(0, cursorTable.indexOf('_'));
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(rows(c, "SELECT log_partition, seq FROM stage_partition_cursors WHERE stage = '" + stage + "' ORDER BY log_partition"))
                    .containsExactly(new String[]{"0", "7"}, new String[]{"3", "7"});
        }
        return store;
    }

    // ---- events ----

    /** A person's visits and purchase; spread over both partitions (and the store without the log) when {@code spread}. */
    private List<Item> person(Workspace ws, String name, boolean spread) {
        List<Item> out = new ArrayList<>();
        Identifier email = id(IdentifierType.EMAIL, name + "@shop.io");
        Identifier laptop = id(IdentifierType.VISITOR_TOKEN, name + "-laptop");
        Identifier phone = id(IdentifierType.VISITOR_TOKEN, name + "-phone");
        out.add(item(spread ? random.nextInt(2) : 0, ws, "page_view", ADS[random.nextInt(ADS.length)], null, laptop));
        out.add(item(spread ? random.nextInt(2) : 0, ws, "page_view", ADS[random.nextInt(ADS.length)], null, phone));
        out.add(item(spread && random.nextInt(4) == 0 ? null : 0, ws, "sign_up", null, null, laptop, email));
        out.add(item(spread ? random.nextInt(2) : 0, ws, "purchase", null, String.valueOf(10 + random.nextInt(90)), phone, email));
        return out;
    }

    private Item item(Integer partition, Workspace ws, String name, String url, String value, Identifier... ids) {
        hours += 3; // apart beyond a visit's timeout: each page view is a touchpoint of its own
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + Ids.event(), Fixtures.T0.plus(Duration.ofHours(hours)),
                Fixtures.T0.plus(Duration.ofHours(hours)), name, List.of(ids), Person.EMPTY, new Context(null, null, url, null, null, null),
                value == null ? null : new Commerce(new BigDecimal(value), "EUR", null, null, null, List.of()), null, false, null, "{}");
        return new Item(partition, e);
    }

    private static Identifier id(IdentifierType t, String v) {
        return new Identifier(t, v);
    }

    private void workspaces(PostgresStore store) {
        store.workspaces().create(a);
        store.workspaces().create(b);
    }

    /** Stores items as the store writers do: each partition's in its order with its offsets, the others without the log. */
    private static final class Offsets {
        private final LogOffsets offsets = new LogOffsets();

        void store(PostgresStore store, List<Item> items) {
            for (Item i : items) offsets.store(store, i.partition(), i.event());
        }
    }

    // ---- the unmerge and the erasure ----

    private static void unmergeAndErase(PostgresStore store, String url, List<Item> undone, Event erased) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            String absorbed = "prof_" + undone.get(1).event().id().substring(4);
            long merge = longOf(c, "SELECT id FROM identity_merges WHERE absorbed_id = '" + absorbed + "' AND outcome = 'merged'");
            assertThat(store.identity().unmerge(undone.get(0).event().workspaceId(), merge)).isTrue();
            String profile = stringOf(c, "SELECT profile_id FROM identity_event_profiles WHERE event_id = '" + erased.id() + "'");
            assertThat(store.identity().erase(erased.workspaceId(), profile)).isTrue();
        }
    }

    // ---- stepping ----

    /** Steppers of 50-event batches; a batch whose position or graph moved under it three times over is retried, as the runner does. */
    private static Steppers steppers() {
        return new Steppers(50, e -> String.valueOf(e.getMessage()).contains("keeps moving"));
    }

    private static void drain(Stage... stages) {
        Steppers.drain(100, stages);
    }

    private static void awaitProcessed(String url, int events) throws Exception {
        awaitResolved(url, events);
        await(url, "SELECT (" + AttributionLedger.ATTRIBUTION_FRONTIER + ") >= (SELECT MAX(seq) FROM events)");
    }

    private static void awaitResolved(String url, int events) throws Exception {
        await(url, "SELECT (SELECT COUNT(*) FROM identity_event_profiles) = " + events + " AND (SELECT COUNT(*) FROM events) = " + events);
    }

    private static void await(String url, String condition) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Connection c = DriverManager.getConnection(url)) {
            while (!"t".equals(stringOf(c, condition)) && !"true".equals(stringOf(c, condition))) {
                assertThat(System.nanoTime()).as("waited for " + condition).isLessThan(until);
                Thread.sleep(20);
            }
        }
    }

    // ---- what a run made ----

    /**
     * Who is who (the events of each person, whatever a profile is named: which event of a person created it depends on
     * the order its partitions were stepped in), each conversion's credits by the events of its touchpoints, and the rollup.
     */
    private static String outcome(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            Map<String, Set<String>> people = new HashMap<>();
            for (String[] row : rows(c, "SELECT p.canonical_id, ep.event_id FROM identity_event_profiles ep"
                    + " JOIN identity_profiles p ON p.id = ep.profile_id")) {
                people.computeIfAbsent(row[0], k -> new TreeSet<>()).add(row[1]);
            }
            Set<String> who = new TreeSet<>();
            for (Set<String> events : people.values()) who.add(String.join(",", events));
            Set<String> credits = new TreeSet<>();
            for (String[] row : rows(c, "SELECT cr.event_id, t.event_id, ROUND(cr.first_touch::numeric, 6), ROUND(cr.last_touch::numeric, 6),"
                    + " ROUND(cr.linear::numeric, 6), ROUND(cr.last_non_direct::numeric, 6) FROM attribution_credits cr"
                    + " JOIN attribution_touchpoints t ON t.id = cr.touchpoint_id")) {
                credits.add(String.join(" ", row));
            }
            Set<String> rollup = new TreeSet<>();
            for (String[] row : rows(c, "SELECT workspace_id, day, event_name, model, currency, channel, source, medium, campaign,"
                    + " content, term, platform, ROUND(conversions::numeric, 6), ROUND(revenue::numeric, 6) FROM attribution_rollup"
                    + " WHERE ABS(conversions) > 1e-9 OR ABS(revenue) > 1e-9")) {
                rollup.add(String.join(" ", row));
            }
            assertThat(who).isNotEmpty();
            assertThat(credits).isNotEmpty();
            return "people:\n" + String.join("\n", who) + "\ncredits:\n" + String.join("\n", credits) + "\nrollup:\n" + String.join("\n", rollup);
        }
    }

    private static List<String[]> rows(Connection c, String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) row[i] = rs.getString(i + 1);
                out.add(row);
            }
        }
        return out;
    }

    private static String stringOf(Connection c, String sql) throws SQLException {
        List<String[]> r = rows(c, sql);
        return r.isEmpty() ? null : r.get(0)[0];
    }

    private static long longOf(Connection c, String sql) throws SQLException {
        return Long.parseLong(stringOf(c, sql));
    }
}
