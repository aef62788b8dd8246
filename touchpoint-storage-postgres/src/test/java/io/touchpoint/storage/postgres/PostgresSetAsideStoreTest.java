package io.touchpoint.storage.postgres;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.SetAsideStore.Stage;
import io.touchpoint.core.store.Store;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.PostgresTestDatabase;
import io.touchpoint.tests.SetAsideStoreContract;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresSetAsideStoreTest extends SetAsideStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }

    /**
     * An event stored before ingest refused U+0000 (its JSON body escapes it) fails every identity batch on
     * PostgreSQL, which cannot hold the character in a text column; set aside, it no longer stops the events after it.
     */
    @Test
    void aStoredNulFingerprintFailsTheIdentityStageUntilItIsSetAside() {
        Workspace w = Fixtures.workspace("nul");
        store.workspaces().create(w);
        Event nul = event(w, new Identifier(IdentifierType.FINGERPRINT, "evil\u0000fp"), "req_nul");
        Event next = event(w, new Identifier(IdentifierType.EMAIL, "next@example.com"), "req_next");
        assertThatThrownBy(() -> store.stages().identity().step(100)).hasStackTraceContaining("0x00");
        assertThat(store.stages().identity().cursor()).isZero();

        long seq = store.setAside().next(Stage.IDENTITY).orElseThrow();
        assertThat(store.setAside().setAside(Stage.IDENTITY, seq, "invalid byte sequence", 3)).isTrue();
        assertThat(store.stages().identity().step(100)).isEqualTo(1);
        assertThat(store.identity().profileOfEvent(w.id(), next.id())).isPresent();
        assertThat(store.setAside().of(w.id(), nul.id())).singleElement().satisfies(r -> assertThat(r.stage()).isEqualTo(Stage.IDENTITY));
    }

    private Event event(Workspace w, Identifier id, String requestId) {
        Event e = new Event(Ids.event(), w.id(), Source.PIXEL, requestId, Fixtures.T0, Fixtures.T0, "page_view", List.of(id),
                new Person(null, null, null, null, null, null), new Context("203.0.113.9", null, null, null, null, null),
                null, null, false, null, "{}");
        store.ingest().commit(List.of(Fixtures.accepted(e, requestId)));
        return e;
    }
}
