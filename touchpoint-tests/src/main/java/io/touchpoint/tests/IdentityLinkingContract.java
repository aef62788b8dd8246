package io.touchpoint.tests;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;

/** How events link into profiles: cross-device joins, click ids and cookies, ambiguity, blocked values and guardrails. */
public abstract class IdentityLinkingContract extends IdentityFixture {
    @Test
    void crossDeviceEmailJoinsBothVisitorTokensAndTheJourneyListsBothDevices() {
        Event laptopView = ingest("page_view", id(VISITOR_TOKEN, "A"));
        Event laptopForm = ingest("lead", id(VISITOR_TOKEN, "A"), id(EMAIL, "jane@shop.io"));
        Event phoneView = ingest("page_view", id(VISITOR_TOKEN, "B"));
        Event phoneForm = ingest("lead", id(VISITOR_TOKEN, "B"), id(EMAIL, "jane@shop.io"));
        Event purchase = ingest("purchase", id(EMAIL, "jane@shop.io"));
        assertThat(store.stages().identity().cursor()).isZero();
        assertThat(store.stages().identity().upstream()).isPositive();

        processAll();

        assertThat(store.stages().identity().cursor()).isEqualTo(store.stages().identity().upstream());
        String profile = profileOf(purchase);
        assertThat(List.of(laptopView, laptopForm, phoneView, phoneForm)).allSatisfy(e -> assertThat(profileOf(e)).isEqualTo(profile));
        assertThat(store.identity().findProfile(ws.id(), id(VISITOR_TOKEN, "B"))).contains(profile);
        Profile p = store.identity().profile(ws.id(), profile).orElseThrow();
        assertThat(p.identifiers()).extracting(Profile.LinkedIdentifier::identifier)
                .containsExactlyInAnyOrder(id(VISITOR_TOKEN, "A"), id(VISITOR_TOKEN, "B"), id(EMAIL, "jane@shop.io"));
        assertThat(p.identifiers()).allSatisfy(l -> assertThat(l.rule()).isNotBlank());
        assertThat(p.merges()).singleElement().satisfies(m -> {
            assertThat(m.eventId()).isEqualTo(phoneForm.id());
            assertThat(m.outcome()).isEqualTo(Profile.MergeRecord.MERGED);
            assertThat(m.survivor()).isEqualTo(profile);
        });
        assertThat(store.identity().journey(ws.id(), profile)).extracting(Event::id)
                .containsExactly(laptopView.id(), laptopForm.id(), phoneView.id(), phoneForm.id(), purchase.id());
        // the absorbed profile's id answers as the survivor
        String absorbed = p.merges().get(0).absorbed();
        assertThat(store.identity().profile(ws.id(), absorbed).orElseThrow().id()).isEqualTo(profile);
        assertPeopleListTheLinksSights(ws);
    }

    /** An event refreshes when each of its identifiers was last seen on the profile, several of one profile at once. */
    @Test
    void everyLinkAnEventCarriesIsLastSeenAtItsTime() {
        Identifier[] all = {id(VISITOR_TOKEN, "A"), id(EMAIL, "jane@shop.io"), id(FBP, "fb.1.a"), id(FINGERPRINT, "fp1")};
        Event first = ingest(ws, "page_view", Duration.ofMinutes(1), "10.0.0.1", all);
        processAll();
        ingest(ws, "page_view", Duration.ofMinutes(5), "10.0.0.1", all);
        processAll();
        ingest(ws, "page_view", Duration.ofMinutes(9), "10.0.0.1", id(VISITOR_TOKEN, "A"), id(FBP, "fb.1.a"));
        processAll();
        Map<Identifier, List<Instant>> seen = new HashMap<>();
        for (Profile.LinkedIdentifier l : store.identity().profile(ws.id(), profileOf(first)).orElseThrow().identifiers()) {
            seen.put(l.identifier(), List.of(l.firstSeen(), l.lastSeen()));
        }
        Instant t1 = Fixtures.T0.plus(Duration.ofMinutes(1));
        assertThat(seen).isEqualTo(Map.of(
                id(VISITOR_TOKEN, "A"), List.of(t1, Fixtures.T0.plus(Duration.ofMinutes(9))),
                id(FBP, "fb.1.a"), List.of(t1, Fixtures.T0.plus(Duration.ofMinutes(9))),
                id(EMAIL, "jane@shop.io"), List.of(t1, Fixtures.T0.plus(Duration.ofMinutes(5))),
                id(FINGERPRINT, "fp1|10.0.0.1"), List.of(t1, Fixtures.T0.plus(Duration.ofMinutes(5)))));
    }

    @Test
    void fingerprintAndIpJoinARecentVisitorButNeverMergeDifferentEmails() {
        Event visit = ingest(ws, "page_view", Duration.ZERO, "198.51.100.7", id(VISITOR_TOKEN, "A"), id(FINGERPRINT, "fp"), id(EMAIL, "a@shop.io"));
        Event server = ingest(ws, "purchase", Duration.ofHours(2), "198.51.100.7", id(FINGERPRINT, "fp"));
        Event other = ingest(ws, "lead", Duration.ofHours(3), "198.51.100.7", id(FINGERPRINT, "fp"), id(EMAIL, "b@shop.io"));
        processAll();

        assertThat(profileOf(server)).isEqualTo(profileOf(visit));
        assertThat(profileOf(other)).isNotEqualTo(profileOf(visit));
        assertThat(partition(ws.id())).hasSize(2);
        assertThat(store.identity().profile(ws.id(), profileOf(visit)).orElseThrow().merges())
                .extracting(Profile.MergeRecord::outcome).doesNotContain(Profile.MergeRecord.MERGED);
        assertThat(store.identity().findProfile(ws.id(), id(FINGERPRINT, "fp"))).contains(profileOf(visit));
    }

    /**
     * A server event (an Able webhook, say) keyed only by a click id or a platform cookie joins the visitor
     * whose page view carried the same value, in whichever of its shapes each side sent it, and merges nothing.
     */
    @Test
    void aServerEventKeyedOnlyByAClickIdOrCookieJoinsTheVisitorWhosePageViewCarriedIt() {
        Event visit = ingest("page_view", id(VISITOR_TOKEN, "A"), id(FBCLID, "IwAR2xyz"), id(FBC, "fb.1.1772358000000.IwAR2xyz"),
                id(FBP, "fb.1.1772358000000.1234567"), id(GA_COOKIE, "GA1.1.777.888"), id(GCLID, "Cj0KCQ"), id(TTCLID, "tt1"),
                id(TTP, "ttp-cookie"), id(MSCLKID, "ms1"));
        Event other = ingest("page_view", id(VISITOR_TOKEN, "B"), id(FBP, "fb.1.1772358000000.7654321"));
        List<Event> server = List.of(
                ingest("lead", id(FBP, "fb.1.1772358000000.1234567")),
                ingest("purchase", id(FBCLID, "IwAR2xyz")),
                ingest("purchase", id(FBC, "fb.1.1772358999999.IwAR2xyz.AQYBAQIA")),
                ingest("purchase", id(FBCLID, "fb.2.1772358000000.IwAR2xyz")),
                ingest("purchase", id(GA_COOKIE, "777.888")),
                ingest("purchase", id(GA_COOKIE, "GA1.2.777.888")),
                ingest("purchase", id(GCLID, "Cj0KCQ")),
                ingest("purchase", id(TTCLID, "tt1")),
                ingest("purchase", id(TTP, "ttp-cookie")),
                ingest("purchase", id(MSCLKID, "ms1")),
                // a new email and a known cookie: the email joins the visitor too
                ingest("lead", id(FBP, "fb.1.1772358000000.1234567"), id(EMAIL, "jane@shop.io")));
        processAll();

        String profile = profileOf(visit);
        assertThat(server).allSatisfy(e -> assertThat(profileOf(e)).as(e.name() + " " + e.identifiers()).isEqualTo(profile));
        assertThat(profileOf(other)).isNotEqualTo(profile);
        assertThat(partition(ws.id())).hasSize(2);
        Profile p = store.identity().profile(ws.id(), profile).orElseThrow();
        assertThat(p.merges()).isEmpty();
        assertThat(p.mergedProfiles()).isEmpty();
        // one Meta click, one GA client id, however they came
        assertThat(p.identifiers()).extracting(l -> l.identifier().type().wireName() + ":" + l.identifier().value())
                .containsExactlyInAnyOrder("visitor_token:A", "fbclid:IwAR2xyz", "fbp:fb.1.1772358000000.1234567",
                        "ga_cookie:777.888", "gclid:Cj0KCQ", "ttclid:tt1", "ttp:ttp-cookie", "msclkid:ms1", "email:jane@shop.io");
        assertThat(p.identifiers()).filteredOn(l -> l.identifier().type() == EMAIL).singleElement()
                .satisfies(l -> assertThat(l.rule()).isEqualTo("click_id_or_cookie"));
        // each shape a sender may use finds the profile
        for (Identifier asked : List.of(id(FBC, "fb.1.1.IwAR2xyz"), id(FBCLID, "IwAR2xyz"), id(GA_COOKIE, "GA1.3.777.888"),
                id(GA_COOKIE, "777.888"), id(FBP, "fb.1.1772358000000.1234567"))) {
            assertThat(store.identity().findProfile(ws.id(), asked)).as("%s", asked).contains(profile);
        }
        assertThat(store.identity().journey(ws.id(), profile)).extracting(Event::id)
                .containsAll(server.stream().map(Event::id).toList());
    }

    /**
     * Click ids and cookies still never merge: a value on two profiles joins neither, values on different profiles
     * join neither, a profile with other emails is not joined, and the merge log of the profiles not joined says why.
     */
    @Test
    void aClickIdOrCookieThatIsAmbiguousJoinsNoProfileAndTheMergeLogSaysWhy() {
        Event a = ingest("page_view", id(VISITOR_TOKEN, "A"), id(FBP, "fb.1.1.shared"), id(GCLID, "gA"), id(MSCLKID, "mA"),
                id(EMAIL, "ann@shop.io"));
        Event b = ingest("page_view", id(VISITOR_TOKEN, "B"), id(FBP, "fb.1.1.shared"), id(TTP, "tB"));
        Event shared = ingest("lead", id(FBP, "fb.1.1.shared"));
        Event disagree = ingest("lead", id(GCLID, "gA"), id(TTP, "tB"));
        Event conflict = ingest("lead", id(MSCLKID, "mA"), id(EMAIL, "bob@shop.io"));
        processAll();

        String pa = profileOf(a);
        String pb = profileOf(b);
        assertThat(pa).isNotEqualTo(pb);
        for (Event e : List.of(shared, disagree, conflict)) assertThat(profileOf(e)).as(e.identifiers().toString()).isNotIn(pa, pb);
        assertThat(List.of(profileOf(shared), profileOf(disagree), profileOf(conflict))).doesNotHaveDuplicates();
        assertThat(partition(ws.id())).hasSize(5);

        List<Profile.MergeRecord> logA = store.identity().profile(ws.id(), pa).orElseThrow().merges();
        List<Profile.MergeRecord> logB = store.identity().profile(ws.id(), pb).orElseThrow().merges();
        assertThat(List.of(logA, logB)).allSatisfy(log -> assertThat(log).extracting(Profile.MergeRecord::outcome)
                .doesNotContain(Profile.MergeRecord.MERGED));
        assertThat(logA).allSatisfy(m -> assertThat(m.rule()).isEqualTo("click_id_or_cookie"));
        assertThat(logA).extracting(m -> m.eventId() + " " + m.outcome() + " " + m.via().type().wireName() + " " + m.absorbed())
                .containsExactlyInAnyOrder(
                        shared.id() + " click_id_on_several_profiles fbp " + pa,
                        disagree.id() + " click_ids_disagree gclid " + pa,
                        conflict.id() + " click_id_email_conflict msclkid " + pa);
        assertThat(logB).extracting(m -> m.eventId() + " " + m.outcome() + " " + m.via().type().wireName() + " " + m.absorbed())
                .containsExactlyInAnyOrder(
                        shared.id() + " click_id_on_several_profiles fbp " + pb,
                        disagree.id() + " click_ids_disagree ttp " + pb);
        assertThat(logA).filteredOn(m -> m.eventId().equals(shared.id())).singleElement()
                .satisfies(m -> assertThat(m.survivor()).isEqualTo(profileOf(shared)));
    }

    @Test
    void blockedAndOverSharedValuesLinkNothingAndLimitsHold() {
        store.identity().putGuardrails(ws.id(), Guardrails.DEFAULTS.withMaxProfilesPerValue(2).withLimit(EMAIL, 1)
                .withBlocked(id(VISITOR_TOKEN, "kiosk")));
        assertThat(store.identity().guardrails(ws.id()).maxProfilesPerValue()).isEqualTo(2);
        assertThat(store.identity().guardrails(ws.id()).limit(EMAIL)).isEqualTo(1);

        Event a = ingest("lead", id(EMAIL, "test@test.com"), id(VISITOR_TOKEN, "A"), id(FBP, "shared"));
        Event b = ingest("lead", id(EMAIL, "test@test.com"), id(VISITOR_TOKEN, "B"), id(FBP, "shared"));
        Event c = ingest("lead", id(VISITOR_TOKEN, "kiosk"), id(VISITOR_TOKEN, "C"), id(FBP, "shared"));
        Event d = ingest("lead", id(VISITOR_TOKEN, "kiosk"), id(VISITOR_TOKEN, "D"));
        Event e = ingest("lead", id(VISITOR_TOKEN, "A"), id(EMAIL, "one@shop.io"));
        ingest("lead", id(VISITOR_TOKEN, "A"), id(EMAIL, "two@shop.io"));
        processAll();

        assertThat(List.of(profileOf(a), profileOf(b), profileOf(c), profileOf(d))).doesNotHaveDuplicates();
        assertThat(store.identity().findProfile(ws.id(), id(EMAIL, "test@test.com"))).isEmpty();
        assertThat(store.identity().findProfile(ws.id(), id(VISITOR_TOKEN, "kiosk"))).isEmpty();
        Map<String, Set<String>> graph = partition(ws.id());
        assertThat(graph.values().stream().filter(s -> s.contains("fbp:shared")).count()).isEqualTo(2);
        assertThat(graph.get(profileOf(e))).containsExactlyInAnyOrder("visitor_token:A", "fbp:shared", "email:one@shop.io");
    }

    @Test
    void aMergeAGuardrailForbidsIsLoggedAsSkipped() {
        store.identity().putGuardrails(ws.id(), Guardrails.DEFAULTS.withLimit(CLIENT_ID, 1));
        Event staff = ingest("lead", id(CLIENT_ID, "c1"), id(EMAIL, "staff@shop.io"));
        Event customer = ingest("lead", id(CLIENT_ID, "c2"));
        Event login = ingest("login", id(CLIENT_ID, "c2"), id(EMAIL, "staff@shop.io"));
        processAll();

        assertThat(profileOf(customer)).isNotEqualTo(profileOf(staff));
        assertThat(profileOf(login)).isEqualTo(profileOf(staff));
        assertThat(store.identity().profile(ws.id(), profileOf(staff)).orElseThrow().merges()).singleElement().satisfies(m -> {
            assertThat(m.outcome()).isEqualTo("merge_would_exceed_limit");
            assertThat(m.eventId()).isEqualTo(login.id());
            assertThat(m.absorbed()).isEqualTo(profileOf(customer));
        });
    }

    @Test
    void guardrailsRoundTrip() {
        Guardrails g = new Guardrails(Map.of(EMAIL, 2, CLIENT_ID, 1), Set.of("email:ops@shop.io"), false, 4, Duration.ofDays(2));
        store.identity().putGuardrails(ws.id(), g);
        assertThat(store.identity().guardrails(ws.id())).isEqualTo(g);
        store.identity().putGuardrails(ws.id(), Guardrails.DEFAULTS);
        assertThat(store.identity().guardrails(ws.id())).isEqualTo(Guardrails.DEFAULTS);
    }
}
