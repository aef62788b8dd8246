package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;

class IdentityResolverTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final MemoryIdentityGraph graph = new MemoryIdentityGraph();
    private final AtomicInteger ids = new AtomicInteger();
    private long seq;
    private Guardrails rails = Guardrails.DEFAULTS;

    private Resolution event(Duration at, String ip, Identifier... identifiers) {
        seq++;
        return graph.process(rails, new ResolutionInput(seq, "e" + seq, T0.plus(at), List.of(identifiers), ip),
                () -> "p" + ids.incrementAndGet());
    }

    private Resolution event(Identifier... identifiers) {
        return event(Duration.ofMinutes(seq), null, identifiers);
    }

    private static Identifier id(IdentifierType t, String v) {
        return new Identifier(t, v);
    }

    @Test
    void crossDeviceMergeKeepsTheOlderProfile() {
        Resolution laptop = event(id(VISITOR_TOKEN, "A"), id(EMAIL, "jane@shop.io"));
        Resolution phone = event(id(VISITOR_TOKEN, "B"));
        Resolution form = event(id(VISITOR_TOKEN, "B"), id(EMAIL, "jane@shop.io"));
        Resolution purchase = event(id(EMAIL, "jane@shop.io"));

        assertThat(laptop.created()).isTrue();
        assertThat(phone.created()).isTrue();
        assertThat(form.merges()).singleElement().satisfies(m -> {
            assertThat(m.survivor()).isEqualTo(laptop.profileId());
            assertThat(m.absorbed()).isEqualTo(phone.profileId());
            assertThat(m.rule()).isEqualTo(Resolution.RULE_STRONG);
        });
        assertThat(purchase.profileId()).isEqualTo(laptop.profileId());
        assertThat(graph.profileOfEvent("e2")).isEqualTo(laptop.profileId());
        assertThat(graph.partition()).hasSize(1);
        assertThat(graph.partition().get(laptop.profileId()))
                .containsExactlyInAnyOrder("visitor_token:A", "visitor_token:B", "email:jane@shop.io");
    }

    @Test
    void fingerprintAndIpJoinARecentVisitorButNeverMergeDifferentEmails() {
        Resolution visitor = event(Duration.ZERO, "1.2.3.4", id(VISITOR_TOKEN, "A"), id(FINGERPRINT, "fp1"), id(EMAIL, "a@shop.io"));
        Resolution server = event(Duration.ofDays(1), "1.2.3.4", id(FINGERPRINT, "fp1"), id(GCLID, "g1"));
        assertThat(server.profileId()).isEqualTo(visitor.profileId());
        assertThat(server.links()).extracting(Resolution.Link::rule).contains(Resolution.RULE_ATTACH);

        Resolution other = event(Duration.ofDays(2), "1.2.3.4", id(FINGERPRINT, "fp1"), id(EMAIL, "b@shop.io"));
        assertThat(other.profileId()).isNotEqualTo(visitor.profileId());
        assertThat(other.created()).isTrue();
        assertThat(other.merges()).isEmpty();
        assertThat(other.skipped()).extracting(Resolution.Skip::reason).contains(Resolution.Skip.EMAIL_CONFLICT);

        // same email again: joins by the fingerprint rule, a visitor without email can be joined too
        Resolution same = event(Duration.ofDays(2), "1.2.3.4", id(FINGERPRINT, "fp1"), id(EMAIL, "a@shop.io"));
        assertThat(same.profileId()).isEqualTo(visitor.profileId());
        assertThat(same.merges()).isEmpty();
    }

    @Test
    void fingerprintJoinNeedsTheSameIpAndTheWindow() {
        Resolution visitor = event(Duration.ZERO, "1.2.3.4", id(VISITOR_TOKEN, "A"), id(FINGERPRINT, "fp1"));
        assertThat(event(Duration.ofHours(1), "5.6.7.8", id(FINGERPRINT, "fp1")).profileId()).isNotEqualTo(visitor.profileId());
        Resolution late = event(Duration.ofDays(8), "1.2.3.4", id(FINGERPRINT, "fp1"));
        assertThat(late.profileId()).isNotEqualTo(visitor.profileId());
        // the most recently seen visitor on that fingerprint + ip wins
        assertThat(event(Duration.ofDays(9), "1.2.3.4", id(FINGERPRINT, "fp1")).profileId()).isEqualTo(late.profileId());
        // a configured window of 30 days reaches back to the first visitor
        rails = rails.withFingerprintWindow(Duration.ofDays(30));
        assertThat(event(Duration.ofDays(5), "9.9.9.9", id(VISITOR_TOKEN, "Z"), id(FINGERPRINT, "fp2")).created()).isTrue();
        Resolution wide = event(Duration.ofDays(30), "9.9.9.9", id(FINGERPRINT, "fp2"));
        assertThat(wide.created()).isFalse();
    }

    @Test
    void weakIdentifiersAttachButNeverMerge() {
        Resolution a = event(id(VISITOR_TOKEN, "A"), id(FBP, "fb.1.1"), id(GCLID, "g"));
        Resolution b = event(id(VISITOR_TOKEN, "B"), id(FBP, "fb.1.1"), id(GCLID, "g"), id(GA_COOKIE, "ga"), id(APPLE_AD_ID, "x"));
        assertThat(b.profileId()).isNotEqualTo(a.profileId());
        assertThat(b.merges()).isEmpty();
        assertThat(graph.partition()).hasSize(2);
        assertThat(graph.partition().get(b.profileId())).contains("fbp:fb.1.1", "gclid:g", "ga_cookie:ga", "apple_ad_id:x");
        assertThat(graph.partition().get(a.profileId())).contains("fbp:fb.1.1", "gclid:g");
    }

    @Test
    void anEventWithOnlyClickIdsOrCookiesJoinsTheOneProfileCarryingThem() {
        Resolution other = event(Duration.ZERO, "1.2.3.4", id(VISITOR_TOKEN, "B"), id(FINGERPRINT, "fp1"), id(EMAIL, "bob@shop.io"));
        Resolution visit = event(Duration.ofMinutes(1), "1.2.3.4", id(VISITOR_TOKEN, "A"), id(FBP, "fb.1.1.f"),
                id(FBC, "fb.1.1772358000000.IwAR"), id(GA_COOKIE, "GA1.1.777.888"), id(FINGERPRINT, "fp1"), id(EMAIL, "jane@shop.io"));
        assertThat(visit.created()).isTrue();
        event(Duration.ofMinutes(2), "1.2.3.4", id(VISITOR_TOKEN, "B"), id(FINGERPRINT, "fp1"));
        // the cookie wins over the fingerprint + ip, whose most recent visitor is the other one
        Resolution lead = event(Duration.ofMinutes(3), "1.2.3.4", id(FBP, "fb.1.1.f"), id(FINGERPRINT, "fp1"), id(PHONE, "+14155550123"));
        assertThat(lead.profileId()).isEqualTo(visit.profileId());
        assertThat(lead.created()).isFalse();
        assertThat(lead.merges()).isEmpty();
        assertThat(lead.skipped()).isEmpty();
        assertThat(lead.links()).filteredOn(l -> l.identifier().type() == PHONE).singleElement()
                .satisfies(l -> assertThat(l.rule()).isEqualTo(Resolution.RULE_CLICK_ID));
        // other shapes of the same click and the same GA client id
        assertThat(event(id(FBCLID, "IwAR")).profileId()).isEqualTo(visit.profileId());
        assertThat(event(id(FBCLID, "fb.2.1772358999999.IwAR.AQYBAQIA")).profileId()).isEqualTo(visit.profileId());
        assertThat(event(id(GA_COOKIE, "777.888")).profileId()).isEqualTo(visit.profileId());
        assertThat(graph.partition().get(visit.profileId())).contains("fbclid:IwAR", "ga_cookie:777.888")
                .noneMatch(v -> v.startsWith("fbc:") || v.startsWith("ga_cookie:GA"));
        assertThat(graph.partition()).hasSize(2);
        assertThat(other.profileId()).isNotEqualTo(visit.profileId());
    }

    @Test
    void aStrongIdentifierStillDecidesAndAClickIdNeverMerges() {
        Resolution visit = event(id(VISITOR_TOKEN, "A"), id(GCLID, "g"));
        Resolution crm = event(id(EMAIL, "jane@shop.io"));
        Resolution both = event(id(EMAIL, "jane@shop.io"), id(GCLID, "g"));
        assertThat(both.profileId()).isEqualTo(crm.profileId());
        assertThat(both.merges()).isEmpty();
        assertThat(graph.partition()).hasSize(2);
        // the click id is now on two profiles: an event with only it joins neither
        Resolution after = event(id(GCLID, "g"));
        assertThat(after.created()).isTrue();
        assertThat(after.skipped()).extracting(sk -> sk.reason() + " " + sk.otherProfile()).containsExactlyInAnyOrder(
                Resolution.Skip.CLICK_ID_SHARED + " " + visit.profileId(), Resolution.Skip.CLICK_ID_SHARED + " " + crm.profileId());
        assertThat(after.skipped()).allSatisfy(sk -> assertThat(sk.rule()).isEqualTo(Resolution.RULE_CLICK_ID));
    }

    @Test
    void clickIdsOnDifferentProfilesOrAProfileWithOtherEmailsJoinNothing() {
        Resolution a = event(id(VISITOR_TOKEN, "A"), id(GCLID, "gA"), id(MSCLKID, "mA"), id(EMAIL, "ann@shop.io"));
        Resolution b = event(id(VISITOR_TOKEN, "B"), id(TTP, "tB"));
        Resolution disagree = event(id(GCLID, "gA"), id(TTP, "tB"));
        assertThat(disagree.created()).isTrue();
        assertThat(disagree.skipped()).extracting(sk -> sk.reason() + " " + sk.otherProfile()).containsExactlyInAnyOrder(
                Resolution.Skip.CLICK_IDS_DISAGREE + " " + a.profileId(), Resolution.Skip.CLICK_IDS_DISAGREE + " " + b.profileId());
        Resolution conflict = event(id(MSCLKID, "mA"), id(EMAIL, "bob@shop.io"));
        assertThat(conflict.created()).isTrue();
        assertThat(conflict.skipped()).extracting(sk -> sk.reason() + " " + sk.otherProfile())
                .containsExactly(Resolution.Skip.CLICK_ID_EMAIL_CONFLICT + " " + a.profileId());
        // mobile ad ids only attach
        event(id(VISITOR_TOKEN, "C"), id(APPLE_AD_ID, "00000000-0000-0000-0000-000000000000"));
        assertThat(event(id(APPLE_AD_ID, "00000000-0000-0000-0000-000000000000")).created()).isTrue();
    }

    @Test
    void blockedValuesLinkNothing() {
        Resolution a = event(id(EMAIL, "test@test.com"), id(VISITOR_TOKEN, "A"));
        Resolution b = event(id(EMAIL, "test@test.com"), id(VISITOR_TOKEN, "B"));
        Resolution c = event(id(PHONE, "+15555555555"), id(VISITOR_TOKEN, "C"));
        Resolution d = event(id(PHONE, "+15555555555"), id(EMAIL, ""), id(VISITOR_TOKEN, "D"));
        assertThat(List.of(a, b, c, d)).extracting(Resolution::profileId).doesNotHaveDuplicates();
        assertThat(graph.partition().values()).allSatisfy(v -> assertThat(v).noneMatch(s -> s.startsWith("email") || s.startsWith("phone")));
        assertThat(a.skipped()).extracting(Resolution.Skip::reason).containsExactly(Resolution.Skip.BLOCKED);

        rails = rails.withBlocked(id(VISITOR_TOKEN, "shared-kiosk"));
        Resolution e = event(id(VISITOR_TOKEN, "shared-kiosk"), id(EMAIL, "x@shop.io"));
        assertThat(graph.partition().get(e.profileId())).containsExactly("email:x@shop.io");
    }

    @Test
    void defaultBlocklist() {
        Guardrails g = Guardrails.DEFAULTS;
        for (String v : List.of("test@test.com", "test123@gmail.com", "noreply@example.com", "a@test.com", "null", "", " ")) {
            assertThat(g.blocked(id(EMAIL, v))).as(v).isTrue();
        }
        for (String v : List.of("jane@example.com", "jane@shop.io", "testa.ments@gmail.com")) {
            assertThat(g.blocked(id(EMAIL, v))).as(v).isFalse();
        }
        for (String v : List.of("0000000000", "+15555555555", "+441111111111", "1234567890", "+11234567890")) {
            assertThat(g.blocked(id(PHONE, v))).as(v).isTrue();
        }
        assertThat(g.blocked(id(PHONE, "+14155550123"))).isFalse();
        assertThat(g.blocked(id(VISITOR_TOKEN, "undefined"))).isTrue();
    }

    @Test
    void overSharedValueStopsLinking() {
        rails = rails.withMaxProfilesPerValue(3);
        for (int i = 0; i < 3; i++) event(id(VISITOR_TOKEN, "v" + i), id(FBP, "shared"));
        Resolution fourth = event(id(VISITOR_TOKEN, "v3"), id(FBP, "shared"));
        assertThat(fourth.skipped()).extracting(Resolution.Skip::reason).containsExactly(Resolution.Skip.OVER_SHARED);
        assertThat(graph.partition().get(fourth.profileId())).containsExactly("visitor_token:v3");
        assertThat(graph.profilesLinkedTo(id(FBP, "shared"))).hasSize(3);
    }

    @Test
    void mergeThatWouldExceedALimitIsSkippedAndTheEventStaysOnTheOlderProfile() {
        rails = rails.withLimit(CLIENT_ID, 1);
        Resolution a = event(id(CLIENT_ID, "c1"), id(EMAIL, "staff@shop.io"));
        Resolution b = event(id(CLIENT_ID, "c2"));
        Resolution login = event(id(CLIENT_ID, "c2"), id(EMAIL, "staff@shop.io"));
        assertThat(login.merges()).isEmpty();
        assertThat(login.profileId()).isEqualTo(a.profileId());
        assertThat(login.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(Resolution.Skip.MERGE_LIMIT);
            assertThat(s.otherProfile()).isEqualTo(b.profileId());
        });
        assertThat(graph.partition().get(a.profileId())).containsExactlyInAnyOrder("client_id:c1", "email:staff@shop.io");
        assertThat(graph.partition().get(b.profileId())).containsExactly("client_id:c2");
    }

    @Test
    void aProfileNeverExceedsItsPerTypeLimit() {
        rails = rails.withLimit(EMAIL, 2);
        Resolution a = event(id(VISITOR_TOKEN, "A"), id(EMAIL, "1@shop.io"));
        event(id(VISITOR_TOKEN, "A"), id(EMAIL, "2@shop.io"));
        Resolution third = event(id(VISITOR_TOKEN, "A"), id(EMAIL, "3@shop.io"));
        assertThat(third.profileId()).isEqualTo(a.profileId());
        assertThat(third.skipped()).extracting(Resolution.Skip::reason).containsExactly(Resolution.Skip.TYPE_LIMIT);
        assertThat(graph.values(a.profileId(), EMAIL)).containsExactlyInAnyOrder("1@shop.io", "2@shop.io");
        // an event naming three new emails at once links only two
        Resolution many = event(id(EMAIL, "4@shop.io"), id(EMAIL, "5@shop.io"), id(EMAIL, "6@shop.io"));
        assertThat(graph.values(many.profileId(), EMAIL)).hasSize(2);
    }

    @Test
    void everyLinkAndMergeNamesItsEventAndRule() {
        event(id(VISITOR_TOKEN, "A"));
        event(id(VISITOR_TOKEN, "B"));
        Resolution r = event(id(VISITOR_TOKEN, "A"), id(VISITOR_TOKEN, "B"), id(GCLID, "g"));
        assertThat(r.eventId()).isEqualTo("e3");
        assertThat(r.merges()).singleElement().satisfies(m -> assertThat(m.via()).isEqualTo(id(VISITOR_TOKEN, "B")));
        assertThat(r.links()).extracting(Resolution.Link::rule)
                .containsExactly(Resolution.RULE_STRONG, Resolution.RULE_STRONG, Resolution.RULE_ATTACH);
    }
}
