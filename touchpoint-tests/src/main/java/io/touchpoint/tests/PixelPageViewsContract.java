package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.recognition.PageViewSample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recognition report's sample ({@link io.touchpoint.core.store.EventStore#pixelPageViews}): pixel page views of
 * one workspace in a time range, newest first, with their user agent, token source and when the token was first seen.
 */
public abstract class PixelPageViewsContract extends StoreContract {
    static final String SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/17.4 Mobile/15E148 Safari/604.1";
    private int n;

    private Event pageView(Workspace w, Source source, String name, Instant at, String token, String tokenSource) {
        n++;
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("title", "Home");
        if (tokenSource != null) custom.put("token_source", tokenSource);
        Event e = new Event(Ids.event(), w.id(), source, "req_pv" + n, at, at, name,
                token == null ? List.of() : List.of(new Identifier(IdentifierType.VISITOR_TOKEN, token)), null,
                new Context("203.0.113.7", SAFARI, "https://shop.example.com/", null, null, null), null, null, false,
                custom, "{\"type\":\"page_view\"}");
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_pv" + n)));
        return e;
    }

    @Test
    void newestPixelPageViewsInTheRangeWithWhenTheirTokenWasFirstSeen() {
        Workspace ws = Fixtures.workspace("recognition");
        Workspace other = Fixtures.workspace("recognition-other");
        store.workspaces().create(ws);
        store.workspaces().create(other);
        Instant t0 = Fixtures.T0;
        pageView(ws, Source.PIXEL, "page_view", t0, "tpv.first", "new");
        pageView(ws, Source.PIXEL, "page_view", t0.plus(Duration.ofDays(3)), "tpv.first", "server_cookie");
        pageView(ws, Source.PIXEL, "page_view", t0.plus(Duration.ofDays(4)), "tpv.second", null);
        pageView(ws, Source.PIXEL, "page_view", t0.plus(Duration.ofDays(5)), null, "new");
        pageView(ws, Source.PIXEL, "purchase", t0.plus(Duration.ofDays(3)), "tpv.first", "server_cookie"); // not a page view
        pageView(ws, Source.COMETLY, "page_view", t0.plus(Duration.ofDays(3)), "tpv.first", null); // not the pixel's
        pageView(other, Source.PIXEL, "page_view", t0.plus(Duration.ofDays(3)), "tpv.first", "new"); // another workspace
        pageView(ws, Source.PIXEL, "page_view", t0.plus(Duration.ofDays(9)), "tpv.late", "new"); // after the range
        while (store.stages().identity().step(100) > 0) {
            // the identity graph links the tokens
        }

        List<PageViewSample> sample = store.events().pixelPageViews(ws.id(), t0, t0.plus(Duration.ofDays(9)), 100);
        assertThat(sample).extracting(PageViewSample::at).containsExactly(t0.plus(Duration.ofDays(5)),
                t0.plus(Duration.ofDays(4)), t0.plus(Duration.ofDays(3)), t0);
        assertThat(sample).extracting(PageViewSample::tokenSource).containsExactly("new", null, "server_cookie", "new");
        assertThat(sample).extracting(PageViewSample::userAgent).containsOnly(SAFARI);
        assertThat(sample.get(0).tokenFirstSeen()).as("no token").isNull();
        assertThat(sample.get(1).tokenFirstSeen()).isEqualTo(t0.plus(Duration.ofDays(4)));
        assertThat(sample.get(2).tokenFirstSeen()).as("first seen on its first page view").isEqualTo(t0);
        assertThat(sample.get(3).tokenFirstSeen()).isEqualTo(t0);

        assertThat(store.events().pixelPageViews(ws.id(), t0, t0.plus(Duration.ofDays(9)), 2))
                .extracting(PageViewSample::at).containsExactly(t0.plus(Duration.ofDays(5)), t0.plus(Duration.ofDays(4)));
        assertThat(store.events().pixelPageViews(ws.id(), t0.plus(Duration.ofDays(10)), t0.plus(Duration.ofDays(11)), 100)).isEmpty();
    }
}
