package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Page;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.touchpoint.core.model.IdentifierType.CLIENT_ID;
import static io.touchpoint.core.model.IdentifierType.EMAIL;
import static io.touchpoint.core.model.IdentifierType.VISITOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The people search ({@code IdentityStore.people} with a text): the canonical profiles with a link whose value
 * contains the text, any type, case-insensitive, in the people list's order and paging, whether the text is long
 * enough for the links' trigram index or not; and nothing of an erased person is found, nor left in the index.
 */
public abstract class PeopleSearchContract extends StoreContract {
    protected Workspace ws;
    private int requests;

    /** How many rows of the store's trigram index of link values hold {@code text} (3 characters or more). */
    protected abstract long indexedLinksContaining(String text) throws Exception;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    @Test
    void searchFindsPeopleByAnyPartOfAnyIdentifierInTheListsOrderAPageAtATime() {
        // seen in this order, oldest first: ann, bob (then merged with his token), cyd, "dee", pat
        ingest(Duration.ofDays(-5), new Identifier(EMAIL, "ann.lee@shop.io"), new Identifier(VISITOR_TOKEN, "Tok-Ann-1"));
        ingest(Duration.ofDays(-4), new Identifier(VISITOR_TOKEN, "tok-bob-2"));
        ingest(Duration.ofDays(-3), new Identifier(EMAIL, "bob.lee@shop.io"), new Identifier(VISITOR_TOKEN, "tok-bob-2"));
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "cyd@other.org"), new Identifier(CLIENT_ID, "C_7%"));
        ingest(Duration.ofDays(-1), new Identifier(CLIENT_ID, "say \"dee\""));
        ingest(Duration.ofHours(-1), new Identifier(CLIENT_ID, "7"));
        processAll();
        String ann = profile(new Identifier(EMAIL, "ann.lee@shop.io"));
        String bob = profile(new Identifier(EMAIL, "bob.lee@shop.io"));
        String cyd = profile(new Identifier(EMAIL, "cyd@other.org"));
        String dee = profile(new Identifier(CLIENT_ID, "say \"dee\""));
        String pat = profile(new Identifier(CLIENT_ID, "7"));

        assertThat(search("LEE@SHOP", 10)).containsExactly(bob, ann);
        assertThat(search("tok-bob", 10)).containsExactly(bob); // the token he was seen by before his email
        assertThat(search("shop.io", 10)).containsExactly(bob, ann);
        assertThat(search("\"dee\"", 10)).containsExactly(dee);
        assertThat(search("c_7%", 10)).containsExactly(cyd);
        assertThat(search("c%7", 10)).isEmpty(); // a pattern character is only itself
        assertThat(search("nobody@shop.io", 10)).isEmpty();
        // one and two characters: no trigram, the same answer
        assertThat(search("7", 10)).containsExactly(pat, cyd);
        assertThat(search("_7", 10)).containsExactly(cyd);
        assertThat(search("E", 10)).containsExactly(dee, cyd, bob, ann);
        assertThat(search("%", 10)).containsExactly(cyd);

        for (String text : List.of("lee", "e")) {
            Page<PersonSummary> first = store.identity().people(ws.id(), text, 1, null);
            List<String> paged = new ArrayList<>(first.items().stream().map(PersonSummary::profileId).toList());
            Page<PersonSummary> next = first;
            while (next.nextCursor() != null) {
                next = store.identity().people(ws.id(), text, 1, next.nextCursor());
                next.items().forEach(p -> paged.add(p.profileId()));
            }
            assertThat(paged).as(text).isEqualTo(search(text, 10));
        }
        PersonSummary bobs = store.identity().people(ws.id(), "bob.lee", 10, null).items().getFirst();
        assertThat(bobs.identifiers()).containsExactlyInAnyOrder(new Identifier(EMAIL, "bob.lee@shop.io"),
                new Identifier(VISITOR_TOKEN, "tok-bob-2"));

        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        assertThat(store.identity().people(other.id(), "shop.io", 10, null).items()).isEmpty();
        assertThat(store.identity().people(other.id(), "e", 10, null).items()).isEmpty();
    }

    @Test
    void anErasedPersonIsNotFoundNorLeftInTheIndex() throws Exception {
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "erase.me@shop.io"), new Identifier(VISITOR_TOKEN, "tok-erase-me"));
        ingest(Duration.ofDays(-1), new Identifier(EMAIL, "keep.me@shop.io"));
        processAll();
        String erased = profile(new Identifier(EMAIL, "erase.me@shop.io"));
        String kept = profile(new Identifier(EMAIL, "keep.me@shop.io"));
        assertThat(indexedLinksContaining("erase.me")).isEqualTo(1);
        assertThat(search("ERASE.ME", 10)).containsExactly(erased);

        assertThat(store.identity().erase(ws.id(), erased)).isTrue();
        assertThat(search("erase.me", 10)).isEmpty();
        assertThat(search("tok-erase", 10)).isEmpty();
        assertThat(search("me@shop.io", 10)).containsExactly(kept);
        assertThat(indexedLinksContaining("erase.me")).isZero();
        assertThat(indexedLinksContaining("tok-erase")).isZero();
        assertThat(indexedLinksContaining("keep.me")).isEqualTo(1);
    }

    @Test
    void aNewLinkIsFoundWhileItWaitsForTheIndexAndAfterAndAnErasedOneLeavesBoth() throws Exception {
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "wait.ing@shop.io"));
        ingest(Duration.ofDays(-1), new Identifier(EMAIL, "gone.soon@shop.io"), new Identifier(VISITOR_TOKEN, "tok-gone-9"));
        resolveAll();
        String waiting = profile(new Identifier(EMAIL, "wait.ing@shop.io"));
        String gone = profile(new Identifier(EMAIL, "gone.soon@shop.io"));
        assertThat(search("WAIT.ING", 10)).as("before the index stage").containsExactly(waiting);
        assertThat(search("@shop.io", 10)).containsExactly(gone, waiting);

        assertThat(store.identity().erase(ws.id(), gone)).isTrue();
        assertThat(search("gone.soon", 10)).isEmpty();
        assertThat(search("tok-gone", 10)).isEmpty();
        indexAll();
        assertThat(search("wait.ing", 10)).as("after the index stage").containsExactly(waiting);
        assertThat(search("@shop.io", 10)).containsExactly(waiting);
        assertThat(indexedLinksContaining("wait.ing")).isEqualTo(1);
        assertThat(indexedLinksContaining("gone.soon")).isZero();
        assertThat(indexedLinksContaining("tok-gone")).isZero();
        assertThat(store.stages().peopleSearchIndex().step(100)).as("nothing left to index").isZero();
    }

    private List<String> search(String text, int limit) {
        return store.identity().people(ws.id(), text, limit, null).items().stream().map(PersonSummary::profileId).toList();
    }

    protected String profile(Identifier id) {
        return store.identity().findProfile(ws.id(), id).orElseThrow();
    }

    /** An event of {@code ws} naming {@code ids}, seen {@code at} from {@link Fixtures#T0}. */
    protected void ingest(Duration at, Identifier... ids) {
        requests++;
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + requests, Fixtures.T0.plus(at), Fixtures.T0.plus(at),
                "page_view", List.of(ids), Person.EMPTY, null, null, null, false, null, "{}");
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_" + requests)));
    }

    /** The identity stage, then the people search's index stage, each until caught up. */
    protected void processAll() {
        resolveAll();
        indexAll();
    }

    protected void resolveAll() {
        while (store.stages().identity().step(100) > 0) {
            // until the identity stage is caught up
        }
    }

    /** Steps of 2 links, so that several steps share the work. */
    private void indexAll() {
        while (store.stages().peopleSearchIndex().step(2) > 0) {
            // until every waiting link is in the index
        }
    }
}
