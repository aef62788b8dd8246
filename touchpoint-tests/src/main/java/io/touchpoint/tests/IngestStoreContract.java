package io.touchpoint.tests;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ingest write path: events, their log entries and idempotency keys, committed together. */
public abstract class IngestStoreContract extends StoreContract {
    private Workspace ws;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    @Test
    void everyPartOfTheCanonicalEventSurvivesTheRoundTrip() {
        Event e = Fixtures.fullEvent(ws, "key-1");

        List<IngestResult> results = store.ingest().commit(List.of(Fixtures.accepted(e, e.requestId())));

        assertThat(results).containsExactly(new IngestResult.Stored(e.id()));
        assertThat(store.events().find(ws.id(), e.id())).contains(e);
        assertThat(store.events().count(ws.id())).isEqualTo(1);
    }

    @Test
    void anEventIsOnlyVisibleInItsOwnWorkspace() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        Event e = Fixtures.fullEvent(ws, null);
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_1")));

        assertThat(store.events().find(other.id(), e.id())).isEmpty();
        assertThat(store.events().count(other.id())).isZero();
    }

    @Test
    void aRepeatedIdempotencyKeyIsADuplicateOfTheFirstEventAcrossBatches() {
        Event first = Fixtures.fullEvent(ws, "key-1");
        Event again = Fixtures.fullEvent(ws, "key-1");
        store.ingest().commit(List.of(Fixtures.accepted(first, "req_1")));

        List<IngestResult> results = store.ingest().commit(List.of(Fixtures.accepted(again, "req_2")));

        assertThat(results).containsExactly(new IngestResult.Duplicate(first.id()));
        assertThat(store.events().idWithKey(ws.id(), "key-1")).contains(first.id());
        assertThat(store.events().idWithKey(ws.id(), "key-2")).isEmpty();
        assertThat(store.events().count(ws.id())).isEqualTo(1);
        assertThat(store.events().find(ws.id(), again.id())).isEmpty();
        EventLogEntry log = store.eventLog().byRequestId(ws.id(), "req_2").get(0);
        assertThat(log.outcome()).isEqualTo(EventLogEntry.Outcome.DUPLICATE);
        assertThat(log.eventId()).isEqualTo(first.id());
    }

    @Test
    void aRepeatedIdempotencyKeyInsideOneBatchIsStoredOnce() {
        Event a = Fixtures.fullEvent(ws, "key-1");
        Event b = Fixtures.fullEvent(ws, "key-1");
        Event c = Fixtures.fullEvent(ws, "key-2");

        List<IngestResult> results = store.ingest().commit(List.of(
                Fixtures.accepted(a, "req_a"), Fixtures.accepted(b, "req_b"), Fixtures.accepted(c, "req_c")));

        assertThat(results).containsExactly(new IngestResult.Stored(a.id()), new IngestResult.Duplicate(a.id()),
                new IngestResult.Stored(c.id()));
        assertThat(store.events().count(ws.id())).isEqualTo(2);
    }

    @Test
    void storedKeysRepeatsInTheBatchAndNewKeysAreToldApartInOneCommit() {
        Event storedA = Fixtures.fullEvent(ws, "key-a");
        Event storedB = Fixtures.fullEvent(ws, "key-b");
        store.ingest().commit(List.of(Fixtures.accepted(storedA, "req_1"), Fixtures.accepted(storedB, "req_2")));
        Event fresh = Fixtures.fullEvent(ws, "key-c");
        Event freshAgain = Fixtures.fullEvent(ws, "key-c");
        Event noKey = Fixtures.fullEvent(ws, null);
        Event againB = Fixtures.fullEvent(ws, "key-b");
        Event againA = Fixtures.fullEvent(ws, "key-a");

        List<IngestResult> results = store.ingest().commit(List.of(Fixtures.accepted(fresh, "req_3"),
                Fixtures.accepted(againB, "req_4"), Fixtures.rejected(ws, "req_5", Fixtures.T0, "purchase", null),
                Fixtures.accepted(noKey, "req_6"), Fixtures.accepted(freshAgain, "req_7"), Fixtures.accepted(againA, "req_8")));

        assertThat(results).containsExactly(new IngestResult.Stored(fresh.id()), new IngestResult.Duplicate(storedB.id()),
                new IngestResult.Logged(), new IngestResult.Stored(noKey.id()), new IngestResult.Duplicate(fresh.id()),
                new IngestResult.Duplicate(storedA.id()));
        assertThat(store.events().count(ws.id())).isEqualTo(4);
        assertThat(store.eventLog().byRequestId(ws.id(), "req_8").get(0).eventId()).isEqualTo(storedA.id());
    }

    @Test
    void textWithTabsNewlinesAndBackslashesIsStoredAsSent() {
        String awkward = "a\tb\nc\r\\N \\ \\\\t \"q\" é 😀";
        Event base = Fixtures.fullEvent(ws, "key\t" + awkward);
        Event e = new Event(base.id(), base.workspaceId(), base.source(), base.requestId(), base.receivedAt(),
                base.eventTime(), "purchase\n" + awkward, base.identifiers(), base.person(), base.context(), base.commerce(),
                base.idempotencyKey(), base.doNotForward(), java.util.Map.of("note", awkward),
                "{\"note\":\"" + awkward.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                        .replace("\t", "\\t").replace("\r", "\\r") + "\"}", base.consent());

        store.ingest().commit(List.of(Fixtures.accepted(e, e.requestId())));

        assertThat(store.events().find(ws.id(), e.id())).contains(e);
        assertThat(store.events().idWithKey(ws.id(), "key\t" + awkward)).contains(e.id());
        EventLogEntry log = store.eventLog().byRequestId(ws.id(), e.requestId()).get(0);
        assertThat(log.payload()).isEqualTo(e.rawPayload());
        assertThat(log.eventName()).isEqualTo(e.name());
    }

    @Test
    void theSameKeyInTwoWorkspacesIsTwoEvents() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        Event mine = Fixtures.fullEvent(ws, "key-1");
        Event theirs = Fixtures.fullEvent(other, "key-1");

        List<IngestResult> results = store.ingest().commit(List.of(
                Fixtures.accepted(mine, "req_1"), Fixtures.accepted(theirs, "req_2")));

        assertThat(results).containsExactly(new IngestResult.Stored(mine.id()), new IngestResult.Stored(theirs.id()));
    }

    @Test
    void eventsWithoutAKeyAreNeverDuplicates() {
        Event a = Fixtures.fullEvent(ws, null);
        Event b = Fixtures.fullEvent(ws, null);

        store.ingest().commit(List.of(Fixtures.accepted(a, "req_1"), Fixtures.accepted(b, "req_2")));

        assertThat(store.events().count(ws.id())).isEqualTo(2);
    }

    @Test
    void rejectedRequestsAreLoggedWithoutAnEventAndResultsKeepTheirOrder() {
        Event ok = Fixtures.fullEvent(ws, null);
        List<IngestRecord> batch = List.of(Fixtures.rejected(ws, "req_bad", Fixtures.T0, "purchase", null),
                Fixtures.accepted(ok, "req_ok"), Fixtures.rejected(null, "req_anon", Fixtures.T0, null, null));

        List<IngestResult> results = store.ingest().commit(batch);

        assertThat(results).containsExactly(new IngestResult.Logged(), new IngestResult.Stored(ok.id()),
                new IngestResult.Logged());
        assertThat(store.events().count(ws.id())).isEqualTo(1);
        EventLogEntry bad = store.eventLog().byRequestId(ws.id(), "req_bad").get(0);
        assertThat(bad.outcome()).isEqualTo(EventLogEntry.Outcome.REJECTED);
        assertThat(bad.errorCode()).isEqualTo("invalid_value");
        assertThat(bad.errorParam()).isEqualTo("email");
        assertThat(bad.payload()).isEqualTo("{\"email\":\"x\"}");
        assertThat(store.eventLog().byRequestId(null, "req_anon")).hasSize(1);
    }

    @Test
    void preparedPartsCommitTogetherAsOneBatchWouldWithDuplicatesAcrossParts() {
        Event first = Fixtures.fullEvent(ws, "key-1");
        Event again = Fixtures.fullEvent(ws, "key-1");
        Event other = Fixtures.fullEvent(ws, null);
        var partA = store.ingest().prepare(List.of(Fixtures.accepted(first, "req_a")));
        var partB = store.ingest().prepare(List.of(Fixtures.rejected(ws, "req_bad", Fixtures.T0, "purchase", null),
                Fixtures.accepted(again, "req_b"), Fixtures.accepted(other, "req_b")));

        List<IngestResult> results = store.ingest().commitPrepared(List.of(partA, partB));

        assertThat(results).containsExactly(new IngestResult.Stored(first.id()), new IngestResult.Logged(),
                new IngestResult.Duplicate(first.id()), new IngestResult.Stored(other.id()));
        assertThat(store.events().find(ws.id(), first.id())).isPresent();
        assertThat(store.events().count(ws.id())).isEqualTo(2);
        EventLogEntry duplicate = store.eventLog().byRequestId(ws.id(), "req_b").get(0);
        assertThat(duplicate.outcome()).isEqualTo(EventLogEntry.Outcome.DUPLICATE);
        assertThat(duplicate.eventId()).isEqualTo(first.id());
        assertThat(store.eventLog().byRequestId(ws.id(), "req_bad").get(0).outcome()).isEqualTo(EventLogEntry.Outcome.REJECTED);
    }

    @Test
    void aLargeBatchCommitsEveryRecord() {
        List<IngestRecord> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) batch.add(Fixtures.accepted(Fixtures.fullEvent(ws, "k" + i), "req_" + i));

        List<IngestResult> results = store.ingest().commit(batch);

        assertThat(results).hasSize(2_000).allMatch(r -> r instanceof IngestResult.Stored);
        assertThat(store.events().count(ws.id())).isEqualTo(2_000);
    }

    @Test
    void recordsFromALogPartitionAreStoredWithThePartitionsPositionInOneTransaction() {
        assertThat(store.ingest().logPosition("ingest", 3)).isZero();
        Event a = Fixtures.fullEvent(ws, "key-1");
        Event b = Fixtures.fullEvent(ws, "key-1");

        var results = store.ingest().commitFromLog("ingest", 3, 0, 2,
                List.of(Fixtures.accepted(a, "req_a"), Fixtures.accepted(b, "req_b")));

        assertThat(results).contains(List.of(new IngestResult.Stored(a.id()), new IngestResult.Duplicate(a.id())));
        assertThat(store.ingest().logPosition("ingest", 3)).isEqualTo(2);
        assertThat(store.ingest().logPosition("ingest", 4)).isZero();
        assertThat(store.ingest().logPosition("other-log", 3)).isZero();
        assertThat(store.events().count(ws.id())).isEqualTo(1);

        Event c = Fixtures.fullEvent(ws, null);
        assertThat(store.ingest().commitFromLog("ingest", 3, 2, 7, List.of(Fixtures.accepted(c, "req_c")))).isPresent();
        assertThat(store.ingest().logPosition("ingest", 3)).isEqualTo(7);
    }

    @Test
    void aLogBatchFromAnotherPositionThanTheStoredOneWritesNothing() {
        Event a = Fixtures.fullEvent(ws, null);
        store.ingest().commitFromLog("ingest", 0, 0, 5, List.of(Fixtures.accepted(a, "req_a")));
        Event late = Fixtures.fullEvent(ws, null);

        // a process that lost the partition, or read these records again: neither its events nor its log entries land
        assertThat(store.ingest().commitFromLog("ingest", 0, 3, 9, List.of(Fixtures.accepted(late, "req_late")))).isEmpty();
        assertThat(store.ingest().commitFromLog("ingest", 0, 0, 5, List.of(Fixtures.accepted(late, "req_late")))).isEmpty();

        assertThat(store.ingest().logPosition("ingest", 0)).isEqualTo(5);
        assertThat(store.events().count(ws.id())).isEqualTo(1);
        assertThat(store.eventLog().byRequestId(ws.id(), "req_late")).isEmpty();
    }
}
