package io.touchpoint.tests;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.MemoryIdentityGraph;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.ResolutionInput;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.Store;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The identity graph over time: unmerge, erasure, other nodes' caches, batch sizes, workspaces and random streams. */
public abstract class IdentityStoreContract extends IdentityFixture {
    /**
     * Another store on the database of {@link #store}, as a second node opens it, whose identity processor keeps
     * at most {@code identityCacheLinks} links of the graph in memory between batches; the test closes it.
     */
    protected abstract Store openSecondStore(int identityCacheLinks);

    @Test
    void unmergeRestoresBothProfilesAsTheyWereBeforeTheMerge() {
        Event a1 = ingest("page_view", id(VISITOR_TOKEN, "A"), id(EMAIL, "jane@shop.io"), id(GCLID, "g1"));
        Event b1 = ingest("page_view", id(VISITOR_TOKEN, "B"), id(PHONE, "+14155550123"));
        Event b2 = ingest("page_view", id(VISITOR_TOKEN, "B"), id(FBP, "fb.1"));
        processAll();
        String a = profileOf(a1);
        String b = profileOf(b1);
        Map<String, Set<String>> before = partition(ws.id());
        List<String> journeyA = store.identity().journey(ws.id(), a).stream().map(Event::id).toList();
        List<String> journeyB = store.identity().journey(ws.id(), b).stream().map(Event::id).toList();

        Event merging = ingest("lead", id(VISITOR_TOKEN, "B"), id(EMAIL, "jane@shop.io"));
        processAll();
        assertThat(partition(ws.id())).hasSize(1);
        assertPeopleListTheLinksSights(ws);
        long mergeId = store.identity().profile(ws.id(), a).orElseThrow().merges().get(0).id();

        assertThat(store.identity().unmerge(ws.id(), mergeId)).isTrue();
        assertThat(store.identity().unmerge(ws.id(), mergeId)).isFalse();
        // each side's sights again those of its own links
        assertPeopleListTheLinksSights(ws);
        assertThat(store.identity().people(ws.id(), null, 10, null).items()).hasSize(2);

        assertThat(partition(ws.id())).isEqualTo(before);
        assertThat(store.identity().journey(ws.id(), b).stream().map(Event::id).toList()).isEqualTo(journeyB);
        List<String> expectedA = new ArrayList<>(journeyA);
        expectedA.add(merging.id()); // the merging event itself resolved to the survivor
        assertThat(store.identity().journey(ws.id(), a).stream().map(Event::id).toList()).isEqualTo(expectedA);
        assertThat(profileOf(b2)).isEqualTo(b);
        assertThat(store.identity().profile(ws.id(), a).orElseThrow().merges().get(0).undoneAt()).isNotNull();
    }

    /**
     * A processor that keeps the graph it used in memory must still resolve against an unmerge or an erasure made by
     * another node (here {@link #store}, on the same database).
     */
    @Test
    void aCachingProcessorSeesUnmergeAndErasureMadeByAnotherNode() {
        try (Store processor = openSecondStore(1_000_000)) {
            Runnable process = () -> {
                while (processor.stages().identity().step(100) > 0) {
                    // until caught up
                }
            };
            Event a1 = ingest("page_view", id(VISITOR_TOKEN, "A"), id(EMAIL, "jane@shop.io"));
            Event b1 = ingest("page_view", id(VISITOR_TOKEN, "B"), id(PHONE, "+14155550123"));
            process.run();
            String a = profileOf(a1);
            String b = profileOf(b1);
            // seen again, so that the processor keeps both people
            ingest("page_view", id(VISITOR_TOKEN, "A"));
            ingest("page_view", id(VISITOR_TOKEN, "B"));
            process.run();
            ingest("lead", id(VISITOR_TOKEN, "B"), id(EMAIL, "jane@shop.io"));
            process.run();
            assertThat(partition(ws.id())).hasSize(1);
            long mergeId = store.identity().profile(ws.id(), a).orElseThrow().merges().get(0).id();

            assertThat(store.identity().unmerge(ws.id(), mergeId)).isTrue();
            Event afterUnmerge = ingest("page_view", id(VISITOR_TOKEN, "B"), id(FBP, "fb.1.b"));
            process.run();
            assertThat(profileOf(afterUnmerge)).isEqualTo(b);
            assertPeopleListTheLinksSights(ws);
            assertThat(store.identity().profile(ws.id(), b).orElseThrow().identifiers())
                    .extracting(Profile.LinkedIdentifier::identifier).contains(id(FBP, "fb.1.b"));

            assertThat(store.identity().erase(ws.id(), a)).isTrue();
            Event afterErasure = ingest("purchase", id(EMAIL, "jane@shop.io"));
            process.run();
            String fresh = profileOf(afterErasure);
            assertThat(fresh).isNotEqualTo(a).isNotEqualTo(b);
            assertThat(store.identity().profile(ws.id(), fresh).orElseThrow().identifiers())
                    .extracting(Profile.LinkedIdentifier::identifier).containsExactly(id(EMAIL, "jane@shop.io"));
            assertPeopleListTheLinksSights(ws);
        }
    }

    @Test
    void erasureRemovesTheProfileItsEventsAndTheirLogPayloads() {
        Event a = ingest("page_view", id(VISITOR_TOKEN, "A"), id(EMAIL, "jane@shop.io"));
        Event b = ingest("purchase", id(VISITOR_TOKEN, "B"), id(EMAIL, "jane@shop.io"));
        Event other = ingest("purchase", id(EMAIL, "ann@shop.io"));
        store.ingest().commit(List.of(Fixtures.rejected(ws, "req_bad", Fixtures.T0, "purchase", "jane@shop.io")));
        processAll();
        String profile = profileOf(a);

        assertThat(store.identity().erase(ws.id(), profile)).isTrue();

        assertThat(store.events().find(ws.id(), a.id())).isEmpty();
        assertThat(store.events().find(ws.id(), b.id())).isEmpty();
        assertThat(store.events().find(ws.id(), other.id())).isPresent();
        assertThat(store.identity().profile(ws.id(), profile)).isEmpty();
        assertThat(store.identity().findProfile(ws.id(), id(EMAIL, "jane@shop.io"))).isEmpty();
        assertThat(store.identity().findProfile(ws.id(), id(VISITOR_TOKEN, "B"))).isEmpty();
        assertThat(store.identity().journey(ws.id(), profile)).isEmpty();
        assertThat(store.identity().profileOfEvent(ws.id(), a.id())).isEmpty();
        assertThat(partition(ws.id())).containsOnlyKeys(profileOf(other));
        assertThat(store.identity().people(ws.id(), null, 10, null).items()).extracting(io.touchpoint.core.identity.PersonSummary::profileId)
                .containsExactly(profileOf(other));
        assertThat(store.identity().people(ws.id(), "jane", 10, null).items()).isEmpty();
        for (String req : List.of("req_1", "req_2", "req_bad")) {
            EventLogEntry log = store.eventLog().byRequestId(ws.id(), req).get(0);
            assertThat(log.payload()).isNull();
            assertThat(log.email()).isNull();
        }
        assertThat(store.eventLog().byRequestId(ws.id(), "req_3").get(0).payload()).contains("ann@shop.io");
        assertThat(store.identity().erase(ws.id(), profile)).isFalse();
    }

    @Test
    void processingInSmallBatchesBuildsTheSameGraphAsOneBigBatch() {
        for (int i = 0; i < 30; i++) {
            ingest("page_view", id(VISITOR_TOKEN, "v" + (i % 7)), id(EMAIL, "u" + (i % 5) + "@shop.io"));
        }
        while (store.stages().identity().step(1) > 0) {
            assertThat(store.stages().identity().cursor()).isLessThanOrEqualTo(store.stages().identity().upstream());
        }
        assertThat(store.stages().identity().step(10)).isZero();
        assertThat(partition(ws.id())).hasSize(1);
    }

    @Test
    void profilesAreSeenOnlyFromTheirOwnWorkspace() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        Event e = ingest("lead", id(EMAIL, "jane@shop.io"));
        Event o = ingest(other, "lead", Duration.ZERO, null, id(EMAIL, "jane@shop.io"));
        processAll();

        String mine = profileOf(e);
        assertThat(store.identity().profileOfEvent(other.id(), o.id()).orElseThrow()).isNotEqualTo(mine);
        assertThat(store.identity().profile(other.id(), mine)).isEmpty();
        assertThat(store.identity().journey(other.id(), mine)).isEmpty();
        assertThat(store.identity().profileOfEvent(other.id(), e.id())).isEmpty();
        assertThat(store.identity().erase(other.id(), mine)).isFalse();
        assertThat(store.identity().findProfile(ws.id(), id(EMAIL, "jane@shop.io"))).contains(mine);
        assertThat(store.identity().guardrails(other.id())).isEqualTo(Guardrails.DEFAULTS);
    }

    /**
     * Batching is invisible: random streams under tight guardrails give the same profiles (as sets of identifiers)
     * and the same grouping of events whether processed one event per batch, in random small batches, all at once,
     * interleaved with ingest, by two caching nodes in turn or by a processor that can keep almost nothing in memory, and
     * the same as the in-memory reference graph.
     */
    @Test
    void randomStreamsGiveTheSameGraphWhateverTheBatchSizes() {
        try (Store otherNode = openSecondStore(1_000_000); Store cachingNode = openSecondStore(1_000_000);
             Store tinyCache = openSecondStore(3)) {
            randomStreams(otherNode, cachingNode, tinyCache);
        }
    }

    /**
     * Rounds of {@link #randomStreamsGiveTheSameGraphWhateverTheBatchSizes}, each a new random stream under six
     * processing schedules. A store whose every ingest commit is a network round trip (Kafka mode) may run fewer: the
     * schedules vary the processing, which the direct stores' runs cover, not the ingest path.
     */
    protected int randomStreamRounds() {
        return 6;
    }

    private void randomStreams(Store otherNode, Store cachingNode, Store tinyCache) {
        Random rnd = new Random(20261125);
        for (int round = 0; round < randomStreamRounds(); round++) {
            List<RandomIdentityStream.Item> stream = RandomIdentityStream.of(rnd, 40 + rnd.nextInt(80));
            Guardrails rails = RandomIdentityStream.guardrails(rnd);
            Object expected = reference(stream, rails);
            for (int schedule = 0; schedule < 6; schedule++) {
                Workspace w = Fixtures.workspace("r" + round + "s" + schedule);
                store.workspaces().create(w);
                store.identity().putGuardrails(w.id(), rails);
                List<Event> events = new ArrayList<>();
                Random batches = new Random(round * 10L + schedule);
                for (RandomIdentityStream.Item item : stream) {
                    events.add(ingest(w, "page_view", item.at(), item.ip(), item.ids().toArray(Identifier[]::new)));
                    if (schedule == 3 && batches.nextInt(4) == 0) store.stages().identity().step(1 + batches.nextInt(9));
                }
                int limit = switch (schedule) {
                    case 0 -> 1;
                    case 2 -> 1000;
                    default -> 0;
                };
                if (schedule == 4) { // two caching nodes taking batches in turn: each one's copy of the graph goes stale
                    while (cachingNode.stages().identity().step(1 + batches.nextInt(12)) + otherNode.stages().identity().step(1 + batches.nextInt(12)) > 0) {
                        // until caught up
                    }
                } else if (schedule == 5) { // a processor holding 3 links at the most drops clusters after nearly every batch
                    while (tinyCache.stages().identity().step(1 + batches.nextInt(12)) > 0) {
                        // until caught up
                    }
                }
                while (store.stages().identity().step(limit > 0 ? limit : 1 + batches.nextInt(12)) > 0) {
                    // until caught up
                }
                assertThat(stored(w, events)).as("round %d, schedule %d", round, schedule).isEqualTo(expected);
                assertPeopleListTheLinksSights(w);
            }
        }
    }

    /** A batch writes its rows in JDBC batches of a bounded size: one with more event rows than that still matches. */
    @Test
    void aBatchLargerThanOneChunkOfRowsGivesTheReferenceGraph() {
        Random rnd = new Random(20261126);
        List<RandomIdentityStream.Item> stream = RandomIdentityStream.of(rnd, 1500);
        Guardrails rails = RandomIdentityStream.guardrails(rnd);
        store.identity().putGuardrails(ws.id(), rails);
        List<Event> events = new ArrayList<>();
        for (RandomIdentityStream.Item item : stream) {
            events.add(ingest(ws, "page_view", item.at(), item.ip(), item.ids().toArray(Identifier[]::new)));
        }
        assertThat(store.stages().identity().step(5000)).isEqualTo(1500);
        assertThat(stored(ws, events)).isEqualTo(reference(stream, rails));
        assertPeopleListTheLinksSights(ws);
    }

    /** Profiles as sets of identifiers, and events grouped by the profile they resolved to (by index in the stream). */
    private Object stored(Workspace w, List<Event> events) {
        Map<String, String> profiles = store.identity().profilesOfEvents(w.id(), events.stream().map(Event::id).toList());
        Map<String, Set<Integer>> groups = new HashMap<>();
        for (int i = 0; i < events.size(); i++) groups.computeIfAbsent(profiles.get(events.get(i).id()), k -> new HashSet<>()).add(i);
        return List.of(new HashSet<>(partition(w.id()).values()), new HashSet<>(groups.values()));
    }

    private static Object reference(List<RandomIdentityStream.Item> stream, Guardrails rails) {
        MemoryIdentityGraph graph = new MemoryIdentityGraph();
        AtomicInteger ids = new AtomicInteger();
        Map<String, Set<Integer>> groups = new HashMap<>();
        for (int i = 0; i < stream.size(); i++) {
            RandomIdentityStream.Item item = stream.get(i);
            graph.process(rails, new ResolutionInput(i + 1, "e" + i, Fixtures.T0.plus(item.at()), item.ids(), item.ip()),
                    () -> "p" + ids.incrementAndGet());
        }
        for (int i = 0; i < stream.size(); i++) groups.computeIfAbsent(graph.profileOfEvent("e" + i), k -> new HashSet<>()).add(i);
        return List.of(new HashSet<>(graph.partition().values()), new HashSet<>(groups.values()));
    }
}
