package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.traffic.TrafficReport;
import io.touchpoint.core.traffic.TrafficReport.Figures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The traffic overview's rollup (docs/TRAFFIC.md) as the traffic stage keeps it from resolved page views: visits as
 * the attribution stage cuts them (30 minutes without a page view, or a new campaign), counted on the day they began
 * in the workspace's time zone (the fixtures' Europe/Paris), landing pages without their query, sources, and an
 * erased person's visits taken out.
 */
public abstract class TrafficStoreContract extends StoreContract {
    private static final Instant T0 = Fixtures.T0; // 11:00 in Paris on 2026-03-01
    private static final LocalDate DAY1 = LocalDate.of(2026, 3, 1);
    private static final LocalDate DAY2 = DAY1.plusDays(1);
    private Workspace ws;
    private int requests;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("traffic");
        store.workspaces().create(ws);
    }

    private void event(Workspace w, String name, String visitor, Instant at, String url, String referrer) {
        String request = "req_traffic" + (++requests);
        Event e = new Event(Ids.event(), w.id(), Source.PIXEL, request, at, at, name,
                List.of(new Identifier(IdentifierType.VISITOR_TOKEN, visitor)), null,
                new Context("203.0.113.7", "Mozilla/5.0", url, referrer, null, null), null, null, false, null,
                "{\"type\":\"" + name + "\"}");
        store.ingest().commit(List.of(Fixtures.accepted(e, request)));
    }

    private void pageView(String visitor, Duration after, String url, String referrer) {
        event(ws, "page_view", visitor, T0.plus(after), url, referrer);
    }

    private void processAll() {
        while (store.stages().identity().step(100) + store.stages().traffic().step(3) > 0) {
            // small traffic steps: a visit's page views are counted across several steps
        }
    }

    /** Three visitors: a, b and c, their page views in the order the test names them. */
    private void threeVisitors() {
        pageView("tpv.a", Duration.ZERO, "https://shop.example.com/?utm_source=newsletter&utm_medium=email", null);
        pageView("tpv.a", Duration.ofMinutes(5), "https://shop.example.com/pricing", null);
        pageView("tpv.a", Duration.ofMinutes(10), "https://shop.example.com/checkout?step=1#pay", null);
        pageView("tpv.a", Duration.ofHours(2), "https://shop.example.com/blog/post", "https://www.google.com/"); // timed out
        event(ws, "purchase", "tpv.a", T0.plus(Duration.ofHours(2).plusMinutes(1)), "https://shop.example.com/thanks", null);
        pageView("tpv.b", Duration.ofHours(1), "https://shop.example.com/pricing?ref=1", null);
        pageView("tpv.b", Duration.ofDays(1), "https://shop.example.com/", null);
        pageView("tpv.c", Duration.ofMinutes(20), "https://shop.example.com/?utm_source=newsletter&utm_medium=email", null);
        pageView("tpv.c", Duration.ofMinutes(25), "https://shop.example.com/?utm_source=facebook&utm_medium=paid_social", null); // new campaign
        Workspace other = Fixtures.workspace("traffic-other");
        store.workspaces().create(other);
        event(other, "page_view", "tpv.a", T0, "https://other.example.com/", null);
        processAll();
    }

    @Test
    void countsVisitsOnTheDayTheyBeganWithTheirLandingPagesAndSources() {
        threeVisitors();

        TrafficReport r = store.traffic().report(ws.id(), DAY1, DAY2.plusDays(1), 10);
        assertThat(r.days()).extracting(TrafficReport.Day::day).containsExactly(DAY1, DAY2, DAY2.plusDays(1));
        assertThat(r.days().get(0).figures()).as("a: 2 visits of 3 and 1 page views, b: 1, c: 2 of 1 each")
                .isEqualTo(new Figures(3, 5, 7, 4));
        assertThat(r.days().get(1).figures()).isEqualTo(new Figures(1, 1, 1, 1));
        assertThat(r.days().get(2).figures()).as("a day without page views").isEqualTo(new Figures(0, 0, 0, 0));
        assertThat(r.totals()).as("b is one visitor on both days").isEqualTo(new Figures(3, 6, 8, 5));
        assertThat(r.totals().bounceRate()).isEqualTo(5.0 / 6);
        assertThat(r.totals().pagesPerVisit()).isEqualTo(8.0 / 6);
        assertThat(r.landingPages()).extracting(TrafficReport.LandingPage::path, TrafficReport.LandingPage::visits,
                TrafficReport.LandingPage::bounces).containsExactly(tuple("/", 4L, 3L), tuple("/blog/post", 1L, 1L),
                tuple("/pricing", 1L, 1L));
        assertThat(r.sources()).extracting(TrafficReport.Source::source, TrafficReport.Source::channel, TrafficReport.Source::visits)
                .containsExactly(tuple("(direct)", "direct", 2L), tuple("newsletter", "email", 2L),
                        tuple("facebook", "paid_social", 1L), tuple("google.com", "organic_search", 1L));

        assertThat(store.traffic().report(ws.id(), DAY1, DAY2, 1).landingPages()).hasSize(1);
        TrafficReport second = store.traffic().report(ws.id(), DAY2, DAY2, 10);
        assertThat(second.totals()).isEqualTo(new Figures(1, 1, 1, 1));
        assertThat(second.landingPages()).extracting(TrafficReport.LandingPage::path).containsExactly("/");
        TrafficReport empty = store.traffic().report(ws.id(), DAY2.plusDays(1), DAY2.plusDays(1), 10);
        assertThat(empty.totals()).isEqualTo(new Figures(0, 0, 0, 0));
        assertThat(empty.totals().bounceRate()).as("no visit: no rate").isNull();
        assertThat(empty.totals().pagesPerVisit()).isNull();
        assertThat(empty.landingPages()).isEmpty();
        assertThat(store.traffic().eventsNotCounted()).isZero();
    }

    @Test
    void countsEveryStoredPageViewOnceHoweverTheStepsFall() {
        threeVisitors();
        pageView("tpv.c", Duration.ofMinutes(30), "https://shop.example.com/pricing", null);
        assertThat(store.traffic().eventsNotCounted()).as("stored, not resolved yet").isEqualTo(1);
        processAll();

        TrafficReport r = store.traffic().report(ws.id(), DAY1, DAY1, 10);
        assertThat(r.totals()).as("c's second visit goes on: no longer a bounce").isEqualTo(new Figures(3, 5, 8, 3));
        assertThat(store.stages().traffic().step(100)).as("caught up").isZero();
    }

    @Test
    void anErasedPersonsVisitsLeaveTheCountsTheDaysKeepExactly() {
        threeVisitors();
        String a = store.identity().findProfile(ws.id(), new Identifier(IdentifierType.VISITOR_TOKEN, "tpv.a")).orElseThrow();

        assertThat(store.identity().erase(ws.id(), a)).isTrue();

        TrafficReport r = store.traffic().report(ws.id(), DAY1, DAY2, 10);
        assertThat(r.days().get(0).figures()).isEqualTo(new Figures(2, 3, 3, 3));
        assertThat(r.days().get(1).figures()).isEqualTo(new Figures(1, 1, 1, 1));
        assertThat(r.totals().visits()).isEqualTo(4);
        assertThat(r.totals().pageViews()).isEqualTo(4);
        assertThat(r.totals().visitors()).as("the range's sketch cannot forget a; the days' exact counts bound it")
                .isBetween(2L, 3L);
        assertThat(r.landingPages()).extracting(TrafficReport.LandingPage::path, TrafficReport.LandingPage::visits)
                .containsExactly(tuple("/", 3L), tuple("/pricing", 1L));
        assertThat(r.sources()).extracting(TrafficReport.Source::source, TrafficReport.Source::visits)
                .containsExactly(tuple("(direct)", 2L), tuple("facebook", 1L), tuple("newsletter", 1L));
        assertThat(store.traffic().report(ws.id(), DAY1, DAY1, 10).totals().visitors()).isEqualTo(2);
    }
}
