package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A workspace whose events are committed one at a time and resolved by the identity stage, with checks on its graph. */
public abstract class IdentityFixture extends StoreContract {
    protected Workspace ws;
    private int n;

    /** The JDBC URL of {@link #store}'s database, where {@link IdentityPartition} reads the graph's tables. */
    protected abstract String jdbcUrl();

    protected Map<String, Set<String>> partition(String workspaceId) {
        return IdentityPartition.of(jdbcUrl(), workspaceId);
    }

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    protected static Identifier id(IdentifierType t, String v) {
        return new Identifier(t, v);
    }

    /** Commits one event the way the ingest writer does, with its events-log row. */
    protected Event ingest(Workspace w, String name, Duration at, String ip, Identifier... ids) {
        n++;
        String email = null;
        for (Identifier i : ids) if (i.type() == EMAIL) email = i.value();
        Event e = new Event(Ids.event(), w.id(), Source.COMETLY, "req_" + n, Fixtures.T0.plus(at), Fixtures.T0.plus(at), name,
                List.of(ids), new Person(email, null, null, null, null, null),
                new Context(ip, null, null, null, null, null), null, null, false, null,
                "{\"event_name\":\"" + name + "\",\"email\":\"" + email + "\"}");
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_" + n)));
        return e;
    }

    protected Event ingest(String name, Identifier... ids) {
        return ingest(ws, name, Duration.ofMinutes(n), null, ids);
    }

    protected void processAll() {
        while (store.stages().identity().step(100) > 0) {
            // until caught up
        }
    }

    protected String profileOf(Event e) {
        return store.identity().profileOfEvent(ws.id(), e.id()).orElseThrow();
    }

    /**
     * The people list (paged a few at a time) is every canonical profile of the workspace, each once, most recently
     * seen first (ties by id), with the earliest first sight and latest last sight of all its members' links.
     */
    protected void assertPeopleListTheLinksSights(Workspace w) {
        List<io.touchpoint.core.identity.PersonSummary> people = new ArrayList<>();
        String cursor = null;
        do {
            io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> page = store.identity().people(w.id(), null, 3, cursor);
            people.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(people).extracting(io.touchpoint.core.identity.PersonSummary::profileId)
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(partition(w.id()).keySet());
        for (int i = 1; i < people.size(); i++) {
            io.touchpoint.core.identity.PersonSummary before = people.get(i - 1);
            io.touchpoint.core.identity.PersonSummary after = people.get(i);
            assertThat(before.lastSeen().isAfter(after.lastSeen())
                    || before.lastSeen().equals(after.lastSeen()) && before.profileId().compareTo(after.profileId()) < 0).isTrue();
        }
        for (io.touchpoint.core.identity.PersonSummary person : people) {
            List<Profile.LinkedIdentifier> links = store.identity().profile(w.id(), person.profileId()).orElseThrow().identifiers();
            assertThat(person.firstSeen()).as(person.profileId())
                    .isEqualTo(links.stream().map(Profile.LinkedIdentifier::firstSeen).min(Instant::compareTo).orElseThrow());
            assertThat(person.lastSeen()).as(person.profileId())
                    .isEqualTo(links.stream().map(Profile.LinkedIdentifier::lastSeen).max(Instant::compareTo).orElseThrow());
        }
    }
}
