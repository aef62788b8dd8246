package io.touchpoint.tests;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The people list: profiles most recently seen first, searchable by any identifier, a page at a time. */
public abstract class PeopleListContract extends AttributionFixture {
    @Test
    void peopleListMostRecentlySeenFirstSearchableByAnyIdentifierAPageAtATime() {
        ingest("page_view", Duration.ofDays(-3), META_AD, null, id(VISITOR_TOKEN, "Tok-A"));
        ingest("purchase", Duration.ofDays(-2), null, "30", id(VISITOR_TOKEN, "Tok-A"), id(EMAIL, "kim@shop.io"));
        ingest("purchase", Duration.ofDays(-2).plusHours(1), null, "20", id(EMAIL, "kim@shop.io"));
        ingest("page_view", Duration.ofDays(-1), GOOGLE_AD, null, id(VISITOR_TOKEN, "tok-b"));
        processAll();
        io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> all = store.identity().people(ws.id(), null, 10, null);
        assertThat(all.nextCursor()).isNull();
        assertThat(all.items()).hasSize(2);
        io.touchpoint.core.identity.PersonSummary b = all.items().get(0);
        io.touchpoint.core.identity.PersonSummary kim = all.items().get(1);
        assertThat(b.identifiers()).containsExactly(id(VISITOR_TOKEN, "tok-b"));
        assertThat(b.conversions()).isZero();
        assertThat(b.lastSeen()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(1)));
        assertThat(kim.identifiers()).containsExactlyInAnyOrder(id(VISITOR_TOKEN, "Tok-A"), id(EMAIL, "kim@shop.io"));
        assertThat(kim.firstSeen()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(3)));
        assertThat(kim.lastSeen()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(2)).plus(Duration.ofHours(1)));
        assertThat(kim.conversions()).isEqualTo(2);
        assertThat(kim.valueByCurrency()).isEqualTo(Map.of("EUR", 50.0));
        assertThat(kim.profileId()).isEqualTo(store.identity().findProfile(ws.id(), id(EMAIL, "kim@shop.io")).orElseThrow());

        // any identifier, any case; a pattern character is only itself
        assertThat(store.identity().people(ws.id(), "SHOP.IO", 10, null).items()).extracting(p -> p.profileId()).containsExactly(kim.profileId());
        assertThat(store.identity().people(ws.id(), "tok-a", 10, null).items()).extracting(p -> p.profileId()).containsExactly(kim.profileId());
        assertThat(store.identity().people(ws.id(), "%", 10, null).items()).isEmpty();

        io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> first = store.identity().people(ws.id(), null, 1, null);
        assertThat(first.items()).extracting(p -> p.profileId()).containsExactly(b.profileId());
        io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> second = store.identity().people(ws.id(), null, 1, first.nextCursor());
        assertThat(second.items()).extracting(p -> p.profileId()).containsExactly(kim.profileId());
        assertThat(second.nextCursor()).isNull();
    }
}
