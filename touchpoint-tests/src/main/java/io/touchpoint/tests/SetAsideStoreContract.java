package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SetAsideStore.SetAsideEvent;
import io.touchpoint.core.store.SetAsideStore.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Setting an event aside: recorded and skipped in the transaction that moves the stage's cursor past it, listed,
 * counted, handled later out of order by the stage's {@code processOne} (which clears the record), and erased with
 * the person.
 */
public abstract class SetAsideStoreContract extends StoreContract {
    private Workspace ws;
    private int n;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    private Event ingest(String name, String email) {
        n++;
        Event e = new Event(Ids.event(), ws.id(), Source.COMETLY, "req_" + n, Fixtures.T0.plus(Duration.ofMinutes(n)),
                Fixtures.T0.plus(Duration.ofMinutes(n)), name, List.of(new Identifier(IdentifierType.EMAIL, email)),
                new Person(email, null, null, null, null, null), new Context(null, null, null, null, null, null), null, null,
                false, null, "{\"event_name\":\"" + name + "\",\"email\":\"" + email + "\"}");
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_" + n)));
        return e;
    }

    private long seqOf(Event e) {
        SetAsideStore s = store.setAside();
        OptionalLong next = s.next(Stage.IDENTITY);
        assertThat(next).isPresent();
        return next.getAsLong();
    }

    @Test
    void anEventSetAsideIsSkippedListedAndLaterHandledOutOfOrder() {
        Event poisoned = ingest("purchase", "ann@example.com");
        Event after = ingest("purchase", "bob@example.com");
        SetAsideStore s = store.setAside();
        long seq = seqOf(poisoned);

        assertThat(s.setAside(Stage.IDENTITY, seq, "invalid byte sequence \u0000", 3)).isTrue();
        assertThat(store.stages().identity().cursor()).isEqualTo(seq);
        assertThat(s.setAside(Stage.IDENTITY, seq, "again", 3)).as("the cursor is no longer below it").isFalse();
        assertThat(s.count(Stage.IDENTITY)).isEqualTo(1);
        assertThat(s.count(Stage.ATTRIBUTION)).isZero();
        SetAsideEvent record = s.list(null, 10).get(0);
        assertThat(record.eventId()).isEqualTo(poisoned.id());
        assertThat(record.workspaceId()).isEqualTo(ws.id());
        assertThat(record.stage()).isEqualTo(Stage.IDENTITY);
        assertThat(record.tries()).isEqualTo(3);
        assertThat(record.error()).as("kept storable").isEqualTo("invalid byte sequence \\u0000");
        assertThat(s.list("ws_other", 10)).isEmpty();
        assertThat(s.of(ws.id(), poisoned.id())).containsExactly(record);
        assertThat(s.ofEvents(ws.id(), List.of(poisoned.id(), after.id()))).containsOnlyKeys(poisoned.id());

        while (store.stages().identity().step(100) > 0) {
            // the rest, past the one set aside
        }
        assertThat(store.identity().profileOfEvent(ws.id(), after.id())).isPresent();
        assertThat(store.identity().profileOfEvent(ws.id(), poisoned.id())).isEmpty();

        while (store.stages().attribution().step(100) > 0) {
            // attribution goes past it too: it has no profile
        }
        s.failedAgain(poisoned.id(), Stage.IDENTITY, "still failing");
        assertThat(s.of(null, poisoned.id()).get(0).tries()).isEqualTo(4);

        assertThat(store.stages().identity().processOne(seq)).isTrue();
        assertThat(store.identity().profileOfEvent(ws.id(), poisoned.id())).isPresent();
        assertThat(s.count(Stage.IDENTITY)).isZero();
        assertThat(store.stages().identity().cursor()).as("processOne leaves the cursor").isEqualTo(store.stages().identity().upstream());

        // attribution had gone past it (no profile then): it takes it now
        assertThat(store.attribution().conversionsAmong(ws.id(), List.of(poisoned.id()))).isEmpty();
        assertThat(store.stages().attribution().processOne(seq)).isTrue();
        assertThat(store.attribution().conversionsAmong(ws.id(), List.of(poisoned.id()))).containsExactly(poisoned.id());
    }

    @Test
    void attributionSetsAsideOnlyResolvedEventsAndLeavesOnesNotReachedToItsBatch() {
        Event first = ingest("purchase", "ann@example.com");
        ingest("purchase", "bob@example.com");
        SetAsideStore s = store.setAside();
        assertThat(s.next(Stage.ATTRIBUTION)).as("nothing resolved yet").isEmpty();
        while (store.stages().identity().step(100) > 0) {
            // resolve both
        }
        long seq = s.next(Stage.ATTRIBUTION).orElseThrow();
        assertThat(store.stages().attribution().processOne(seq)).as("not reached yet: left to the batch").isFalse();
        assertThat(s.setAside(Stage.ATTRIBUTION, seq, "boom", 3)).isTrue();
        assertThat(store.stages().attribution().cursor()).isEqualTo(seq);
        while (store.stages().attribution().step(100) > 0) {
            // the rest
        }
        assertThat(store.attribution().conversionsAmong(ws.id(), List.of(first.id()))).isEmpty();
        assertThat(store.stages().attribution().processOne(seq)).isTrue();
        assertThat(store.attribution().conversionsAmong(ws.id(), List.of(first.id()))).containsExactly(first.id());
        assertThat(s.count(Stage.ATTRIBUTION)).isZero();

        // a later stage that fails on a retried event gets a record of its own
        s.failedAgain(first.id(), Stage.DELIVERY, "no route");
        assertThat(s.of(ws.id(), first.id())).singleElement().satisfies(r -> {
            assertThat(r.stage()).isEqualTo(Stage.DELIVERY);
            assertThat(r.tries()).isEqualTo(1);
            assertThat(r.sequence()).isEqualTo(seq);
        });
    }

    @Test
    void erasureRemovesTheRecords() {
        Event e = ingest("purchase", "ann@example.com");
        long seq = seqOf(e);
        store.setAside().setAside(Stage.IDENTITY, seq, "boom", 3);
        ingest("purchase", "ann@example.com");
        while (store.stages().identity().step(100) > 0) {
            // the second event makes the profile
        }
        String profile = store.identity().findProfile(ws.id(), new Identifier(IdentifierType.EMAIL, "ann@example.com")).orElseThrow();
        assertThat(store.stages().identity().processOne(seq)).isTrue();
        store.setAside().failedAgain(e.id(), Stage.ATTRIBUTION, "boom");
        assertThat(store.identity().erase(ws.id(), profile)).isTrue();
        assertThat(store.setAside().list(null, 10)).isEmpty();
    }
}
