package io.touchpoint.tests;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.destinations.Enrichment;
import io.touchpoint.core.destinations.ProfileEvent;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.DestinationStore.Batch;
import io.touchpoint.core.store.DestinationStore.Routable;
import io.touchpoint.core.touchpoint.Platform;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.core.model.IdentifierType.*;
import static io.touchpoint.tests.DestinationFixtures.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What the delivery stage reads of the identity and attribution stages' results, over real events run through both:
 * routable conversions, the profile's history across merged devices, and credits per platform.
 */
public abstract class DeliveryReadsContract extends DestinationContractBase {
    @Test
    void routableEventsAreTheNamedOnesAndTheConversionsInSequenceOrder() {
        store.attribution().putSettings(ws.id(), new AttributionSettings(30, 7, List.of("purchase"), 30));
        Event view = f.ingest("page_view", Duration.ofMinutes(1), DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "a"));
        Event lead = f.ingest("lead_generated", Duration.ofMinutes(2), null, null, id(VISITOR_TOKEN, "a"));
        Event purchase = f.ingest("purchase", Duration.ofMinutes(3), null, "20", id(VISITOR_TOKEN, "a"));
        f.processAll();
        Event unprocessed = f.ingest("purchase", Duration.ofMinutes(4), null, "5", id(VISITOR_TOKEN, "a"));
        long upTo = store.stages().attribution().cursor();

        Batch all = d.routable(0, upTo, 100, List.of("lead_generated"), true);
        assertThat(all.events()).extracting(r -> r.event().id()).containsExactly(lead.id(), purchase.id());
        assertThat(all.events()).extracting(Routable::conversion).containsExactly(false, true);
        assertThat(all.events().get(1).event()).isEqualTo(purchase);
        assertThat(all.events().get(0).seq()).isLessThan(all.events().get(1).seq());
        assertThat(all.lastSeq()).isEqualTo(all.events().get(1).seq()); // the unprocessed purchase is past upTo
        assertThat(d.routable(0, upTo, 100, List.of(), true).events()).extracting(r -> r.event().id()).containsExactly(purchase.id());
        assertThat(d.routable(0, upTo, 100, List.of("purchase", "page_view"), false).events())
                .extracting(r -> r.event().id()).containsExactly(view.id(), purchase.id());

        // a batch looks at most limit events, wanted or not, and says how far it looked
        Batch first = d.routable(0, upTo, 2, List.of("purchase"), false);
        assertThat(first.events()).isEmpty();
        assertThat(first.lastSeq()).isEqualTo(all.events().get(0).seq());
        Batch next = d.routable(first.lastSeq(), upTo, 2, List.of("purchase"), false);
        assertThat(next.events()).singleElement().satisfies(r -> assertThat(r.event().id()).isEqualTo(purchase.id()));
        Batch none = d.routable(next.lastSeq(), next.lastSeq(), 2, List.of("purchase"), true);
        assertThat(none).isEqualTo(new Batch(List.of(), next.lastSeq()));
        assertThat(d.routable(next.lastSeq(), store.stages().identity().upstream(), 10, List.of("purchase"), false).events())
                .extracting(r -> r.event().id()).containsExactly(unprocessed.id());
    }

    @Test
    void aRoutableEventsProfileIsTheCanonicalOneAfterAMerge() {
        Event purchase = f.ingest("purchase", Duration.ofMinutes(1), null, "10", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        f.ingest("page_view", Duration.ZERO, DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "laptop"));
        f.ingest("lead_generated", Duration.ofMinutes(2), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        f.processAll();
        String canonical = store.identity().profileOfEvent(ws.id(), purchase.id()).orElseThrow();
        assertThat(store.identity().profile(ws.id(), canonical).orElseThrow().mergedProfiles()).isNotEmpty();

        List<Routable> routed = d.routable(0, store.stages().attribution().cursor(), 100, List.of(), true).events();
        assertThat(routed).extracting(r -> r.event().name()).containsExactly("purchase", "lead_generated");
        assertThat(routed).extracting(Routable::profileId).containsOnly(canonical);
    }

    @Test
    void aProfilesEventsSpanItsMergedDevicesNewestFirstWithinTheWindow() {
        Event click = f.ingest("page_view", Duration.ofDays(-4), DestinationFixtures.GOOGLE_AD, null, id(VISITOR_TOKEN, "laptop"),
                id(GCLID, "G1"));
        Event laptopView = f.ingest("page_view", Duration.ofDays(-3), DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "laptop"));
        Event phoneView = f.ingest("page_view", Duration.ofDays(-2), null, null, id(VISITOR_TOKEN, "phone"));
        Event old = f.ingest("page_view", Duration.ofDays(-20), null, null, id(VISITOR_TOKEN, "phone"));
        Event lead = f.ingest("lead_generated", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        Event purchase = f.ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        f.ingest("page_view", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "stranger"));
        f.processAll();
        String canonical = store.identity().profileOfEvent(ws.id(), purchase.id()).orElseThrow();
        String absorbed = store.identity().profile(ws.id(), canonical).orElseThrow().mergedProfiles().get(0);
        long all = Long.MAX_VALUE;

        List<Event> window = d.profileEvents(ws.id(), canonical, all, T0.minus(Duration.ofDays(7)), T0, 100, Enrichment.SIGNALS);
        assertThat(window).extracting(Event::id).containsExactly(purchase.id(), lead.id(), phoneView.id(), laptopView.id(), click.id());
        assertThat(window.get(3)).isEqualTo(laptopView);
        assertThat(d.profileEvents(ws.id(), canonical, all, T0.minus(Duration.ofDays(30)), T0.minus(Duration.ofDays(2)), 100,
                Enrichment.SIGNALS)).extracting(Event::id).containsExactly(phoneView.id(), laptopView.id(), click.id(), old.id());
        // the latest two, and where each click id and contact detail was first seen however far back in arrival order
        assertThat(d.profileEvents(ws.id(), canonical, all, T0.minus(Duration.ofDays(7)), T0, 2, Enrichment.SIGNALS))
                .extracting(Event::id).containsExactly(purchase.id(), lead.id(), click.id());
        assertThat(d.profileEvents(ws.id(), canonical, all, T0.minus(Duration.ofDays(7)), T0, 2, Set.of())).extracting(Event::id)
                .containsExactly(purchase.id(), lead.id());
        // the latest up to a sequence: what had arrived by the lead
        long leadSeq = d.routable(0, store.stages().attribution().cursor(), 100, List.of("lead_generated"), false).events().get(0).seq();
        assertThat(d.profileEvents(ws.id(), canonical, leadSeq, T0.minus(Duration.ofDays(30)), T0, 2, Set.of()))
                .extracting(Event::id).containsExactly(lead.id(), old.id());
        // a profile merged away answers for its cluster; another workspace for nothing
        assertThat(d.profileEvents(ws.id(), absorbed, all, T0.minus(Duration.ofDays(7)), T0, 100, Enrichment.SIGNALS)).hasSize(5);
        assertThat(d.profileEvents("ws_other", canonical, all, T0.minus(Duration.ofDays(7)), T0, 100, Enrichment.SIGNALS)).isEmpty();
    }

    @Test
    void historiesAnswerEachReadOfABatchAsItsOwnReadWould() {
        Event click = f.ingest("page_view", Duration.ofDays(-4), DestinationFixtures.GOOGLE_AD, null, id(VISITOR_TOKEN, "laptop"),
                id(GCLID, "G1"));
        f.ingest("page_view", Duration.ofDays(-3), DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "laptop"));
        f.ingest("page_view", Duration.ofDays(-20), null, null, id(VISITOR_TOKEN, "phone"));
        f.ingest("lead_generated", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        Event purchase = f.ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        Event strangerView = f.ingest("page_view", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "stranger"));
        Event strangerBuys = f.ingest("purchase", Duration.ZERO, null, "5", id(VISITOR_TOKEN, "stranger"));
        f.processAll();
        String canonical = store.identity().profileOfEvent(ws.id(), purchase.id()).orElseThrow();
        String absorbed = store.identity().profile(ws.id(), canonical).orElseThrow().mergedProfiles().get(0);
        String stranger = store.identity().profileOfEvent(ws.id(), strangerBuys.id()).orElseThrow();
        List<Routable> routed = d.routable(0, store.stages().attribution().cursor(), 100, List.of(), true).events();
        long leadSeq = routed.stream().filter(r -> r.event().name().equals("lead_generated")).findFirst().orElseThrow().seq();

        List<DestinationStore.HistoryRead> reads = List.of(
                new DestinationStore.HistoryRead(ws.id(), canonical, Long.MAX_VALUE, T0.minus(Duration.ofDays(7)), T0),
                new DestinationStore.HistoryRead(ws.id(), stranger, Long.MAX_VALUE, T0.minus(Duration.ofDays(7)), T0),
                new DestinationStore.HistoryRead(ws.id(), absorbed, leadSeq, T0.minus(Duration.ofDays(30)), T0),
                new DestinationStore.HistoryRead("ws_other", canonical, Long.MAX_VALUE, T0.minus(Duration.ofDays(7)), T0),
                new DestinationStore.HistoryRead(ws.id(), "prf_none", Long.MAX_VALUE, T0.minus(Duration.ofDays(7)), T0));
        for (int recent : new int[]{1, 2, 100}) {
            List<List<Event>> batch = d.histories(reads, recent, Enrichment.SIGNALS);
            assertThat(batch).hasSize(reads.size());
            for (int i = 0; i < reads.size(); i++) {
                DestinationStore.HistoryRead r = reads.get(i);
                List<Event> alone = d.histories(List.of(r), recent, Enrichment.SIGNALS).get(0);
                assertThat(batch.get(i)).as("read %d, %d recent", i, recent).isEqualTo(alone);
            }
        }
        List<List<Event>> two = d.histories(reads, 2, Enrichment.SIGNALS);
        assertThat(two.get(0)).extracting(Event::id).contains(purchase.id(), click.id());
        assertThat(two.get(1)).extracting(Event::id).containsExactly(strangerBuys.id(), strangerView.id());
        assertThat(two.get(2)).extracting(Event::id).doesNotContain(purchase.id());
        assertThat(two.get(3)).isEmpty();
        assertThat(two.get(4)).isEmpty();
        assertThat(d.histories(List.of(), 2, Enrichment.SIGNALS)).isEmpty();
    }

    @Test
    void profileHistoriesAreTheHistoriesAsEnrichmentReadsThemWithoutTheConversionItself() {
        f.ingest("page_view", Duration.ofDays(-4), DestinationFixtures.GOOGLE_AD, null, id(VISITOR_TOKEN, "laptop"),
                id(GCLID, "G1"), id(FBP, "fb.1.1.2"), id(CLIENT_ID, "c1"));
        f.ingest("page_view", Duration.ofDays(-3), DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "laptop"));
        f.ingest("lead_generated", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        Event purchase = f.ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        f.ingest("purchase", Duration.ZERO, null, "5", id(VISITOR_TOKEN, "stranger"));
        f.processAll();
        String canonical = store.identity().profileOfEvent(ws.id(), purchase.id()).orElseThrow();
        Map<String, Long> seqs = new java.util.HashMap<>();
        for (Routable r : d.routable(0, store.stages().attribution().cursor(), 100, List.of("page_view", "lead_generated"), true).events()) {
            seqs.put(r.event().id(), r.seq());
        }
        long purchaseSeq = seqs.get(purchase.id());
        List<DestinationStore.HistoryRead> reads = List.of(
                new DestinationStore.HistoryRead(ws.id(), canonical, purchaseSeq, T0.minus(Duration.ofDays(7)), T0),
                new DestinationStore.HistoryRead(ws.id(), canonical, purchaseSeq - 1, T0.minus(Duration.ofDays(7)), T0),
                new DestinationStore.HistoryRead(ws.id(), canonical, Long.MAX_VALUE, T0.minus(Duration.ofDays(2)), T0),
                new DestinationStore.HistoryRead("ws_other", canonical, purchaseSeq, T0.minus(Duration.ofDays(7)), T0));
        for (int recent : new int[]{1, 2, 100}) {
            List<List<Event>> whole = d.histories(reads, recent, Enrichment.SIGNALS);
            List<List<ProfileEvent>> lean = d.profileHistories(reads, recent, Enrichment.SIGNALS);
            assertThat(lean).hasSize(reads.size());
            for (int i = 0; i < reads.size(); i++) {
                long upTo = reads.get(i).upToSeq();
                assertThat(lean.get(i)).as("read %d, %d recent", i, recent).isEqualTo(whole.get(i).stream()
                        .filter(e -> seqs.get(e.id()) != upTo).map(ProfileEvent::of).toList());
            }
        }
        List<ProfileEvent> all = d.profileHistories(reads, 100, Enrichment.SIGNALS).get(0);
        assertThat(all).extracting(ProfileEvent::id).doesNotContain(purchase.id()).hasSize(3);
        assertThat(all.get(2).signals()).extracting(Identifier::type).containsExactly(GCLID, FBP);
        assertThat(d.profileHistories(List.of(), 2, Enrichment.SIGNALS)).isEmpty();
    }

    @Test
    void creditsOfSeveralConversionsAreEachTheirOwn() {
        f.ingest("page_view", Duration.ofDays(-3), DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "a"));
        Event first = f.ingest("purchase", Duration.ZERO, null, "90", id(VISITOR_TOKEN, "a"));
        f.ingest("page_view", Duration.ofDays(-2), DestinationFixtures.GOOGLE_AD, null, id(VISITOR_TOKEN, "b"));
        Event second = f.ingest("purchase", Duration.ZERO, null, "40", id(VISITOR_TOKEN, "b"));
        Event unpaid = f.ingest("purchase", Duration.ZERO, null, "40", id(VISITOR_TOKEN, "c"));
        f.processAll();

        Map<String, Map<Platform, Double>> credits = d.credits(List.of(first.id(), second.id(), unpaid.id(), "evt_none"),
                AttributionModel.LAST_NON_DIRECT);
        assertThat(credits).containsKeys(first.id(), second.id()).doesNotContainKey("evt_none");
        assertThat(credits.getOrDefault(unpaid.id(), Map.of())).doesNotContainKeys(Platform.META, Platform.GOOGLE);
        assertThat(credits.get(first.id())).isEqualTo(Map.of(Platform.META, 1.0));
        assertThat(credits.get(second.id())).isEqualTo(Map.of(Platform.GOOGLE, 1.0));
        assertThat(d.credits(List.of(), AttributionModel.LINEAR)).isEmpty();
        assertThatThrownBy(() -> d.credits(List.of(first.id()), AttributionModel.MARKOV)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConversionsCreditIsSummedPerPlatformUnderTheAskedModel() {
        f.ingest("page_view", Duration.ofDays(-3), DestinationFixtures.META_AD, null, id(VISITOR_TOKEN, "a"));
        f.ingest("page_view", Duration.ofDays(-2), DestinationFixtures.GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        f.ingest("page_view", Duration.ofDays(-1), DestinationFixtures.META_AD.replace("F1", "F2"), null, id(VISITOR_TOKEN, "a"));
        Event purchase = f.ingest("purchase", Duration.ZERO, null, "90", id(VISITOR_TOKEN, "a"));
        f.processAll();

        assertThat(d.credits(purchase.id(), AttributionModel.FIRST_TOUCH)).isEqualTo(Map.of(Platform.META, 1.0));
        assertThat(d.credits(purchase.id(), AttributionModel.LAST_NON_DIRECT)).isEqualTo(Map.of(Platform.META, 1.0));
        Map<Platform, Double> linear = d.credits(purchase.id(), AttributionModel.LINEAR);
        assertThat(linear).containsOnlyKeys(Platform.META, Platform.GOOGLE);
        assertThat(linear.get(Platform.META)).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(linear.get(Platform.GOOGLE)).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(d.credits("evt_none", AttributionModel.LINEAR)).isEmpty();
        assertThatThrownBy(() -> d.credits(purchase.id(), AttributionModel.MARKOV)).isInstanceOf(IllegalArgumentException.class);
    }

}
