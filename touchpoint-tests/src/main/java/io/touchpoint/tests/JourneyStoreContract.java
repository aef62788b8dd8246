package io.touchpoint.tests;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Journeys and conversion paths: every touchpoint in one journey, kept current through merges and late arrivals. */
public abstract class JourneyStoreContract extends AttributionFixture {
    @Test
    void journeysIncludeConvertingAndNonConvertingPaths() {
        ingest("page_view", Duration.ofDays(-2), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-1), null, "30", id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ZERO, GOOGLE_AD, null, id(VISITOR_TOKEN, "a")); // after the purchase: did not convert
        ingest("page_view", Duration.ZERO, GOOGLE_AD, null, id(VISITOR_TOKEN, "b"));
        processAll();
        List<Journey> journeys = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, journeys::add);
        assertThat(journeys).hasSize(3);
        assertThat(journeys.stream().filter(Journey::converted)).singleElement().satisfies(j -> {
            assertThat(j.value()).isEqualTo(30.0);
            assertThat(j.conversions()).isEqualTo(1.0);
            assertThat(j.states()).containsExactly("Paid Social");
        });
        assertThat(journeys.stream().filter(j -> !j.converted())).allSatisfy(j ->
                assertThat(j.states()).containsExactly("Paid Search"));
        List<Journey> byCampaign = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CAMPAIGN, byCampaign::add);
        assertThat(byCampaign.stream().filter(Journey::converted)).singleElement()
                .satisfies(j -> assertThat(j.states()).containsExactly("spring"));
        assertThat(byCampaign.stream().filter(j -> !j.converted())).allSatisfy(j ->
                assertThat(j.states()).containsExactly(GroupBy.NOT_SET));
    }

    @Test
    void journeysKeepTheLookbackWindowTheDirectStandInAndTheEventNames() {
        ingest("page_view", Duration.ofDays(-33), META_AD, null, id(VISITOR_TOKEN, "a")); // read, but outside the window
        ingest("page_view", Duration.ofDays(-3), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-1), null, "50", id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-2), null, "20", id(VISITOR_TOKEN, "c")); // no touchpoint: the Direct stand-in
        processAll();
        List<Journey> byChannel = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, byChannel::add);
        assertThat(byChannel).extracting(Journey::states, Journey::conversions, Journey::value).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Search"), 1.0, 50.0),
                org.assertj.core.groups.Tuple.tuple(List.of("Direct"), 1.0, 20.0));
        List<Journey> byPlatform = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.PLATFORM, byPlatform::add);
        assertThat(byPlatform).extracting(Journey::states).containsExactlyInAnyOrder(List.of("google"), List.of(GroupBy.NOT_SET));
        // with no conversion of the asked names, the touchpoint in the range is a journey that did not convert
        List<Journey> signUps = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, List.of("sign_up"), GroupBy.CHANNEL, signUps::add);
        assertThat(signUps).singleElement().satisfies(j -> {
            assertThat(j.converted()).isFalse();
            assertThat(j.states()).containsExactly("Paid Search");
        });
    }

    @Test
    void journeysFollowMergesLateTouchpointsAndUnmerges() {
        String newsletter = "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov";
        ingest("page_view", Duration.ofDays(-6), META_AD, null, id(VISITOR_TOKEN, "laptop"));
        ingest("page_view", Duration.ofDays(-2), GOOGLE_AD, null, id(VISITOR_TOKEN, "phone"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "80", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        processAll();
        assertThat(journeys(DAY0.minusDays(7), DAY0)).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Search"), true),
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Social"), false));

        // the laptop is the same person, and a visit older than the others arrives late: one path, in time order
        ingest("lead_generated", Duration.ofDays(1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        ingest("page_view", Duration.ofDays(-4), newsletter, null, id(VISITOR_TOKEN, "phone"));
        processAll();
        assertThat(journeys(DAY0.minusDays(7), DAY0)).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Social", "Email", "Paid Search"), true));

        Profile p = store.identity().profile(ws.id(), store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().profileId())
                .orElseThrow();
        long mergeId = p.merges().stream().filter(m -> m.outcome().equals(Profile.MergeRecord.MERGED)).findFirst().orElseThrow().id();
        assertThat(store.identity().unmerge(ws.id(), mergeId)).isTrue();
        processAll();
        // apart again: the purchase's journey is its receipt's path, and every touchpoint is in exactly one journey
        List<String> receiptPath = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path().stream()
                .map(s -> s.touchpoint().channel().label()).toList();
        List<org.assertj.core.groups.Tuple> apart = journeys(DAY0.minusDays(7), DAY0);
        assertThat(apart).hasSize(2).contains(org.assertj.core.groups.Tuple.tuple(receiptPath, true));
        assertThat(apart.stream().flatMap(t -> ((List<?>) t.toList().get(0)).stream()).map(Object::toString).toList())
                .containsExactlyInAnyOrder("Paid Social", "Email", "Paid Search");
    }

    @Test
    void conversionPathsCarryEveryTouchpointInTheWindowTheFirstTouchAndTheOwnValue() {
        ingest("page_view", Duration.ofDays(-33), META_AD, null, id(VISITOR_TOKEN, "a")); // outside the window
        ingest("page_view", Duration.ofDays(-4), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-3), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-2).plusHours(1), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-1), null, "50", id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-2), null, null, id(VISITOR_TOKEN, "c")); // no touchpoint, no value
        processAll();
        List<io.touchpoint.core.attribution.paths.ConversionPath> paths = new ArrayList<>();
        store.attribution().conversionPaths(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, paths::add);
        long t0 = Fixtures.T0.toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        assertThat(paths).containsExactlyInAnyOrder(
                new io.touchpoint.core.attribution.paths.ConversionPath(List.of("Paid Social", "Paid Search", "Paid Search"),
                        t0 - 4 * day, t0 - day, 50.0, "EUR"),
                new io.touchpoint.core.attribution.paths.ConversionPath(List.of(), t0 - 2 * day, t0 - 2 * day, null, ""));
        List<io.touchpoint.core.attribution.paths.ConversionPath> signUps = new ArrayList<>();
        store.attribution().conversionPaths(ws.id(), DAY0.minusDays(5), DAY0, List.of("sign_up"), GroupBy.CAMPAIGN, signUps::add);
        assertThat(signUps).isEmpty();
    }

    private List<org.assertj.core.groups.Tuple> journeys(LocalDate from, LocalDate to) {
        List<org.assertj.core.groups.Tuple> out = new ArrayList<>();
        store.attribution().journeys(ws.id(), from, to, null, GroupBy.CHANNEL,
                j -> out.add(org.assertj.core.groups.Tuple.tuple(j.states(), j.converted())));
        return out;
    }
}
