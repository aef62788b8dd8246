package io.touchpoint.server.destinations;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.stage.SequenceStage;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.LogOffsets;
import io.touchpoint.tests.PostgresTestDatabase;
import io.touchpoint.tests.Steppers;
import io.touchpoint.tests.Steppers.Counted;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka mode's delivery routing by log partition, on one PostgreSQL shared by two stores (two processes): two
 * processes routing different partitions fill the outbox as one sequential run over the same events does, and a
 * partition that moves from one process to the other mid-stream has each of its events routed by one committed step.
 */
class PartitionedDeliveryTest {
    private static final String[] ADS = {"https://shop.example/?utm_source=facebook&utm_medium=paid_social&fbclid=F1",
            "https://shop.example/?gclid=G1", "https://shop.example/"};
    /** A day after the events: within every platform's window, so what is skipped does not depend on the day the test runs. */
    private static final Clock CLOCK = Clock.fixed(Fixtures.T0.plus(Duration.ofDays(20)), ZoneOffset.UTC);

    private record Item(Integer partition, Event event) {
    }

    private final Workspace ws = Fixtures.workspace("acme");
    private final Destination meta = new Destination("dst_partitioned", ws.id(), DestinationType.META, "Meta",
            Map.of("pixel_id", "1234"), "v1:k1:sealed", List.of("purchase", "page_view"), Map.of(), DeliveryMode.ALL,
            AttributionModel.LINEAR, null, true, Fixtures.T0, null);
    private int hours;

    @Test
    void twoProcessesRoutingDifferentPartitionsFillTheOutboxAsOneSequentialRun() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) items.addAll(person("p" + i, i % 5 == 0 ? null : i % 2));

        String sequentialUrl = PostgresTestDatabase.freshSchemaUrl();
        String expected;
        try (PostgresStore sequential = new PostgresStore(sequentialUrl, null, null)) {
            prepare(sequential, items);
            Steppers.drain(20, sequential.stages().identity(), sequential.stages().attribution(), routing(sequential));
            expected = outbox(sequentialUrl);
            try (Connection c = DriverManager.getConnection(sequentialUrl)) {
                // without Kafka the partitions' positions follow the global cursor: Kafka mode would route none again
                assertThat(longOf(c, "SELECT MIN(seq) FROM stage_partition_cursors WHERE stage = 'delivery'"))
                        .isEqualTo(longOf(c, "SELECT MAX(seq) FROM events"));
            }
        }
        assertThat(expected.lines().count()).isEqualTo(items.size());

        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore one = new PostgresStore(url, null, null); PostgresStore two = new PostgresStore(url, null, null)) {
            prepare(one, items);
            Steppers.drain(20, one.stages().identity().byPartition(() -> Set.of(0, 1)),
                    one.stages().attribution().byPartition(() -> Set.of(0, 1)));
            SequenceStage first = byPartition(one, () -> Set.of(0));
            try (Steppers steppers = new Steppers(5, e -> false)) {
                steppers.run(first);
                steppers.run(byPartition(two, () -> Set.of(1)));
                awaitRouted(url, first);
                assertThat(steppers.failures()).isEmpty();
            }
            assertThat(outbox(url)).isEqualTo(expected);
        }
    }

    @Test
    void aPartitionThatMovesToAnotherProcessMidStreamHasEachEventRoutedOnce() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) items.addAll(person("m" + i, 0));
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore one = new PostgresStore(url, null, null); PostgresStore two = new PostgresStore(url, null, null)) {
            prepare(one, items);
            Steppers.drain(20, one.stages().identity().byPartition(() -> Set.of(0)),
                    one.stages().attribution().byPartition(() -> Set.of(0)));
            AtomicReference<Set<Integer>> ownedByOne = new AtomicReference<>(Set.of(0));
            AtomicReference<Set<Integer>> ownedByTwo = new AtomicReference<>(Set.of());
            AtomicLong routedByOne = new AtomicLong();
            AtomicLong routedByTwo = new AtomicLong();
            Counted first = new Counted(byPartition(one, counting(one.destinations(), routedByOne), ownedByOne::get));
            SequenceStage second = byPartition(two, counting(two.destinations(), routedByTwo), ownedByTwo::get);
            try (Steppers steppers = new Steppers(5, e -> false)) {
                steppers.run(first);
                awaitCount(routedByOne, items.size() / 4);
                // the group moves the partition: for a moment both step it, then only the new owner
                first.rest = true;
                ownedByTwo.set(Set.of(0));
                steppers.run(second);
                awaitCount(routedByTwo, 1);
                ownedByOne.set(Set.of());
                awaitRouted(url, second);
                assertThat(steppers.failures()).isEmpty();
            }
            assertThat(routedByOne.get() + routedByTwo.get()).as("outbox entries of the steps that committed").isEqualTo(items.size());
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(longOf(c, "SELECT COUNT(*) FROM delivery_outbox")).isEqualTo(items.size());
                assertThat(longOf(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'delivery' AND log_partition = 0"))
                        .isEqualTo(longOf(c, "SELECT MAX(seq) FROM events"));
            }
        }
    }

    /**
     * The store, counting the entries of a partition that its routing steps committed. The outbox keeps one entry per
     * (destination, event) whatever is stored again, so a stretch routed twice shows only here.
     */
    private static DestinationStore counting(DestinationStore store, AtomicLong routed) {
        return (DestinationStore) Proxy.newProxyInstance(DestinationStore.class.getClassLoader(), new Class<?>[]{DestinationStore.class},
                (proxy, method, args) -> {
                    Object out;
                    try {
                        out = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("enqueueOn") && Boolean.TRUE.equals(out) && args[0] != null) {
                        routed.addAndGet(((List<?>) args[1]).size());
                    }
                    return out;
                });
    }

    // ---- events ----

    /** A person's ad visit and purchase, in one partition (null: stored without the log). */
    private List<Item> person(String name, Integer partition) {
        Identifier email = new Identifier(IdentifierType.EMAIL, name + "@shop.io");
        Identifier laptop = new Identifier(IdentifierType.VISITOR_TOKEN, name + "-laptop");
        return List.of(item(partition, "page_view", ADS[hours % ADS.length], null, laptop),
                item(partition, "purchase", null, String.valueOf(10 + hours % 90), laptop, email));
    }

    private Item item(Integer partition, String name, String url, String value, Identifier... ids) {
        hours += 3;
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + Ids.event(), Fixtures.T0.plus(Duration.ofHours(hours)),
                Fixtures.T0.plus(Duration.ofHours(hours)), name, List.of(ids), Person.EMPTY,
                new Context("203.0.113.9", "Mozilla/5.0", url, null, null, null),
                value == null ? null : new Commerce(new BigDecimal(value), "EUR", null, null, null, List.of()), null, false, null, "{}");
        return new Item(partition, e);
    }

    /** The workspace, the destination and the items, stored as the store writers do: each partition's with its offsets. */
    private void prepare(PostgresStore store, List<Item> items) {
        store.workspaces().create(ws);
        store.destinations().create(meta);
        LogOffsets offsets = new LogOffsets();
        for (Item i : items) offsets.store(store, i.partition(), i.event());
    }

    // ---- routing ----

    private static DeliveryStage routing(PostgresStore store) {
        return new DeliveryStage(store.destinations(), store.stages().attribution(), store.setAside(), CLOCK, () -> { });
    }

    private static SequenceStage byPartition(PostgresStore store, Supplier<Set<Integer>> owned) {
        return byPartition(store, store.destinations(), owned);
    }

    private static SequenceStage byPartition(PostgresStore store, DestinationStore destinations, Supplier<Set<Integer>> owned) {
        return new DeliveryByPartition(new DeliveryStage(destinations, store.stages().attribution(), store.setAside(), CLOCK,
                () -> { }), destinations, store.stages().attribution(), store.setAside(), owned);
    }

    /** Waits until the stage's frontier (every event routed up to it) reaches the latest event. */
    private static void awaitRouted(String url, SequenceStage stage) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Connection c = DriverManager.getConnection(url)) {
            while (stage.cursor() < longOf(c, "SELECT MAX(seq) FROM events")) {
                assertThat(System.nanoTime()).as("waited for the outbox").isLessThan(until);
                Thread.sleep(20);
            }
        }
        assertThat(stage.lag()).isZero();
    }

    private static void awaitCount(AtomicLong routed, long handled) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (routed.get() < handled) {
            assertThat(System.nanoTime()).as("waited for " + handled + " routed").isLessThan(until);
            Thread.sleep(5);
        }
    }

    // ---- what a run made ----

    /** Each outbox entry as routed: its destination, event, status, reason, key and what enrichment added. */
    private static String outbox(String url) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT destination_id, event_id, status, skip_reason, dedup_key, enriched_fields"
                     + " FROM delivery_outbox ORDER BY event_id")) {
            while (rs.next()) {
                for (int i = 1; i <= 6; i++) out.append(rs.getString(i)).append(i < 6 ? " " : "\n");
            }
        }
        return out.toString();
    }

    private static long longOf(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
