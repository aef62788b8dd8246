package io.touchpoint.storage.sqlite;

import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.jdbc.JdbcStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.IdentityPartition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tests of large identity batches share: their stream, a store on a wrapped database, the comparison. */
final class IdentityBatches {
    private IdentityBatches() {
    }

    /**
     * One event each for people {@code from} to {@code from + count - 1}: a visitor token and an email, which the
     * people from 2,500 on share with earlier ones (so a batch also merges). 3,000 of them write more than one chunk
     * of profile and link rows.
     */
    static List<IngestRecord> people(Workspace ws, int from, int count) {
        List<IngestRecord> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            List<Identifier> ids = List.of(new Identifier(IdentifierType.VISITOR_TOKEN, "tok" + i),
                    new Identifier(IdentifierType.EMAIL, "p" + (i % 2500) + "@shop.io"));
            Event e = new Event(String.format("evt_%08d", i), ws.id(), Source.COMETLY, "req_" + i, Fixtures.T0.plus(Duration.ofSeconds(i)),
                    Fixtures.T0.plus(Duration.ofSeconds(i)), "lead", ids, new Person(null, null, null, null, null, null),
                    new Context("10.0.0.1", null, null, null, null, null), null, null, false, null, "{}");
            out.add(Fixtures.accepted(e, "req_" + i));
        }
        return out;
    }

    /** A SQLite store on {@code db}, whose processor keeps {@code cachedLinks} links in memory between batches. */
    static Store store(JdbcDatabase db, int cachedLinks) {
        return new JdbcStore(db, SqliteStore.MIGRATIONS, cachedLinks) {
        };
    }

    /** The same profiles in both stores (on these files), and every event of {@code events} resolved to the same one. */
    static void assertSameGraph(Store store, Path storeFile, Store reference, Path referenceFile, Workspace ws,
                                List<IngestRecord> events) {
        assertThat(IdentityPartition.ofSqlite(storeFile, ws.id())).isEqualTo(IdentityPartition.ofSqlite(referenceFile, ws.id()));
        for (IngestRecord r : events) {
            assertThat(store.identity().profileOfEvent(ws.id(), r.event().id()))
                    .isEqualTo(reference.identity().profileOfEvent(ws.id(), r.event().id()));
        }
    }
}
