package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogCursor;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogEntry.Outcome;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Page;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Searching the events log: filters, workspace isolation, newest-first cursor pages, live-tail polls. */
public abstract class EventLogStoreContract extends StoreContract {
    private Workspace ws;
    private Workspace other;

    @BeforeEach
    void data() {
        ws = Fixtures.workspace("acme");
        other = Fixtures.workspace("other");
        store.workspaces().create(ws);
        store.workspaces().create(other);
        List<IngestRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Event e = Fixtures.fullEvent(ws, null);
            batch.add(new IngestRecord(Fixtures.acceptedLog(e, "req_ok_" + i, 0), e));
        }
        batch.add(Fixtures.rejected(ws, "req_bad", Fixtures.T0.plusSeconds(10), "lead_generated", "bad@example.com"));
        Event theirs = Fixtures.fullEvent(other, null);
        batch.add(Fixtures.accepted(theirs, "req_theirs"));
        store.ingest().commit(batch);
    }

    private static EventLogQuery query(String ws) {
        return new EventLogQuery(ws, null, null, null, null, null, null, null, 100);
    }

    @Test
    void aWorkspaceSeesOnlyItsOwnEntriesNewestFirst() {
        Page<EventLogEntry> page = store.eventLog().search(query(ws.id()));

        assertThat(page.items()).hasSize(6).allMatch(e -> e.workspaceId().equals(ws.id()));
        assertThat(page.items().get(0).requestId()).isEqualTo("req_bad");
        assertThat(page.items().get(5).requestId()).isEqualTo("req_ok_0");
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void noWorkspaceFilterSeesEveryWorkspace() {
        assertThat(store.eventLog().search(query(null)).items()).hasSize(7);
    }

    @Test
    void filtersByOutcomeEventNameEmailRequestIdAndTime() {
        var base = query(ws.id());
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), Outcome.REJECTED, null, null, null, null, null,
                null, 100)).items()).extracting(EventLogEntry::requestId).containsExactly("req_bad");
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, "lead_generated", null, null, null, null,
                null, 100)).items()).extracting(EventLogEntry::requestId).containsExactly("req_bad");
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, " Jane@Example.com ", null, null,
                null, null, 100)).items()).hasSize(5);
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, "req_ok_3", null, null,
                null, 100)).items()).extracting(EventLogEntry::requestId).containsExactly("req_ok_3");
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, null,
                Fixtures.T0.plusSeconds(5), null, null, 100)).items()).extracting(EventLogEntry::requestId)
                .containsExactly("req_bad");
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, null, null,
                Fixtures.T0.plusSeconds(5), null, 100)).items()).hasSize(5);
        assertThat(base.limit()).isEqualTo(100);
    }

    @Test
    void cursorPagesWalkEveryEntryOnceNewestFirst() {
        List<String> seen = new ArrayList<>();
        EventLogCursor cursor = null;
        int pages = 0;
        do {
            Page<EventLogEntry> page = store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, null, null,
                    null, cursor, 4));
            page.items().forEach(e -> seen.add(e.requestId()));
            cursor = page.nextCursor() == null ? null : EventLogCursor.parse(page.nextCursor()).orElseThrow();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("req_bad", "req_ok_4", "req_ok_3", "req_ok_2", "req_ok_1", "req_ok_0");
    }

    @Test
    void byRequestIdIsScopedToTheWorkspaceWhenOneIsGiven() {
        assertThat(store.eventLog().byRequestId(ws.id(), "req_theirs")).isEmpty();
        assertThat(store.eventLog().byRequestId(other.id(), "req_theirs")).hasSize(1);
        assertThat(store.eventLog().byRequestId(null, "req_theirs")).hasSize(1);
    }

    @Test
    void anEntryKeepsEveryField() {
        EventLogEntry e = store.eventLog().byRequestId(ws.id(), "req_bad").get(0);

        assertThat(e.sequence()).isPositive();
        assertThat(e.itemIndex()).isZero();
        assertThat(e.receivedAt()).isEqualTo(Fixtures.T0.plusSeconds(10));
        assertThat(e.endpoint()).isEqualTo("/public-api/v1/events");
        assertThat(e.source()).isEqualTo("cometly");
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.errorMessage()).isEqualTo("email is not a valid email address");
        assertThat(e.eventName()).isEqualTo("lead_generated");
        assertThat(e.email()).isEqualTo("bad@example.com");
        assertThat(e.eventId()).isNull();
    }

    @Test
    void anEntryKeepsItsWarningsInOrderAndAnEntryWithoutHasNone() {
        Event e = Fixtures.fullEvent(ws, null);
        List<String> warnings = List.of("unknown field 'tier' ignored (kept in the raw payload)",
                "invalid field 'phone' dropped (kept in the raw payload): phone is not a phone number: '555\n\"1234\"'",
                "invalid field 'resource.lead.firstName' dropped (kept in the raw payload): résumé ✓ \ud83d\ude00");
        store.ingest().commit(List.of(new IngestRecord(Fixtures.acceptedLog(e, "req_warned", 0).withWarningsFirst(warnings), e)));

        assertThat(store.eventLog().byRequestId(ws.id(), "req_warned").get(0).warnings()).isEqualTo(warnings);
        assertThat(store.eventLog().search(query(ws.id())).items()).filteredOn(x -> x.requestId().equals("req_warned"))
                .singleElement().satisfies(x -> assertThat(x.warnings()).isEqualTo(warnings));
        assertThat(store.eventLog().byRequestId(ws.id(), "req_ok_0").get(0).warnings()).isEmpty();
        assertThat(store.eventLog().byRequestId(ws.id(), "req_bad").get(0).warnings()).isEmpty();
    }

    @Test
    void aDuplicateKeepsTheWarningsOfItsOwnRequest() {
        Event first = Fixtures.fullEvent(ws, "key-warned");
        store.ingest().commit(List.of(Fixtures.accepted(first, "req_first")));
        Event again = Fixtures.fullEvent(ws, "key-warned");
        List<String> warnings = List.of("invalid field 'ip' dropped (kept in the raw payload): ip is not an IPv4 or IPv6 address");
        store.ingest().commit(List.of(new IngestRecord(Fixtures.acceptedLog(again, "req_again", 0).withWarningsFirst(warnings), again)));

        EventLogEntry duplicate = store.eventLog().byRequestId(ws.id(), "req_again").get(0);
        assertThat(duplicate.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(duplicate.warnings()).isEqualTo(warnings);
    }

    @Test
    void theLogIsOrderedByReceiveTimeEvenWhenCommittedOutOfOrder() {
        Workspace late = Fixtures.workspace("late");
        store.workspaces().create(late);
        // committed first but received later: a slow request of a busy second can commit before a fast one
        store.ingest().commit(List.of(Fixtures.rejected(late, "req_t2", Fixtures.T0.plusSeconds(2), null, null)));
        store.ingest().commit(List.of(Fixtures.rejected(late, "req_t1", Fixtures.T0.plusSeconds(1), null, null),
                Fixtures.rejected(late, "req_t3", Fixtures.T0.plusSeconds(3), null, null)));

        assertThat(store.eventLog().search(query(late.id())).items()).extracting(EventLogEntry::requestId)
                .containsExactly("req_t3", "req_t2", "req_t1");
    }

    @Test
    void pagesSplitEntriesReceivedInTheSameMillisecondWithoutLosingAny() {
        List<String> seen = new ArrayList<>();
        EventLogCursor cursor = null;
        do {
            Page<EventLogEntry> page = store.eventLog().search(new EventLogQuery(ws.id(), Outcome.ACCEPTED, null, null,
                    null, null, null, cursor, 2));
            page.items().forEach(e -> seen.add(e.requestId()));
            cursor = page.nextCursor() == null ? null : EventLogCursor.parse(page.nextCursor()).orElseThrow();
        } while (cursor != null);

        assertThat(seen).containsExactly("req_ok_4", "req_ok_3", "req_ok_2", "req_ok_1", "req_ok_0");
    }

    @Test
    void aRequestIdSearchCombinesWithTheOtherFilters() {
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), Outcome.REJECTED, null, null, "req_ok_1", null,
                null, null, 10)).items()).isEmpty();
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), Outcome.ACCEPTED, null, null, "req_ok_1", null,
                null, null, 10)).items()).extracting(EventLogEntry::requestId).containsExactly("req_ok_1");
        assertThat(store.eventLog().search(new EventLogQuery(other.id(), null, null, null, "req_ok_1", null,
                null, null, 10)).items()).isEmpty();
    }

    private Page<EventLogEntry> tail(String workspace, Outcome outcome, long newerThan, int limit) {
        return store.eventLog().search(new EventLogQuery(workspace, outcome, null, null, null, null, null, null,
                newerThan, limit));
    }

    @Test
    void latestSequenceIsTheLastCommittedEntrysOfAnyWorkspace() {
        long latest = store.eventLog().latestSequence();
        assertThat(latest).isEqualTo(store.eventLog().byRequestId(other.id(), "req_theirs").get(0).sequence());
        store.ingest().commit(List.of(Fixtures.rejected(other, "req_next", Fixtures.T0, null, null)));
        assertThat(store.eventLog().latestSequence()).isGreaterThan(latest)
                .isEqualTo(store.eventLog().byRequestId(other.id(), "req_next").get(0).sequence());
    }

    @Test
    void aTailPollAnswersWhatWasCommittedAfterTheCursorOldestFirst() {
        long start = store.eventLog().latestSequence();
        assertThat(tail(ws.id(), null, start, 10).items()).isEmpty();

        // committed in this order, received out of order: the tail follows commit order and misses none
        store.ingest().commit(List.of(Fixtures.rejected(ws, "req_new_1", Fixtures.T0.plusSeconds(30), null, null)));
        store.ingest().commit(List.of(Fixtures.rejected(other, "req_new_theirs", Fixtures.T0.plusSeconds(30), null, null),
                Fixtures.rejected(ws, "req_new_2", Fixtures.T0.plusSeconds(1), null, null)));
        Page<EventLogEntry> page = tail(ws.id(), null, start, 10);
        assertThat(page.items()).extracting(EventLogEntry::requestId).containsExactly("req_new_1", "req_new_2");
        assertThat(page.nextCursor()).isNull();

        assertThat(tail(ws.id(), null, page.items().get(0).sequence(), 10).items())
                .extracting(EventLogEntry::requestId).containsExactly("req_new_2");
        assertThat(tail(ws.id(), null, start, 1).items()).extracting(EventLogEntry::requestId)
                .as("the oldest first, so a poll that hits its limit resumes where it stopped").containsExactly("req_new_1");
        assertThat(tail(null, null, start, 10).items()).hasSize(3);
        assertThat(tail(ws.id(), Outcome.ACCEPTED, start, 10).items()).isEmpty();
    }

    @Test
    void aTailPollCombinesWithTheRequestIdAndOtherFilters() {
        long start = store.eventLog().latestSequence();
        store.ingest().commit(List.of(Fixtures.rejected(ws, "req_watch", Fixtures.T0, "purchase", "a@b.co")));
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, "req_watch", null, null, null,
                start, 10)).items()).extracting(EventLogEntry::requestId).containsExactly("req_watch");
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, "req_ok_1", null, null, null,
                start, 10)).items()).as("committed before the cursor").isEmpty();
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, "purchase", " A@B.co", null, null, null,
                null, start, 10)).items()).extracting(EventLogEntry::requestId).containsExactly("req_watch");
        assertThat(store.eventLog().search(new EventLogQuery(ws.id(), null, null, null, null, Fixtures.T0.plusSeconds(1),
                null, null, start, 10)).items()).isEmpty();
    }

    private Page<EventLogEntry> byIdentifier(String workspace, IdentifierType type, String value, Outcome outcome,
                                             EventLogCursor after, Long newerThan, int limit) {
        return store.eventLog().search(new EventLogQuery(workspace, outcome, null, null, null, null, null, after, newerThan,
                limit, new Identifier(type, value)));
    }

    @Test
    void anyIdentifierAnEntryCarriedFindsItNewestFirstInItsWorkspaceOnly() {
        Event phone = new Event(Ids.event(), ws.id(), io.touchpoint.core.model.Source.ABLE, "req_phone", Fixtures.T0.plusSeconds(20),
                Fixtures.T0, "lead_generated", List.of(new Identifier(IdentifierType.PHONE, "16505550000"),
                new Identifier(IdentifierType.CLIENT_ID, "12354"), new Identifier(IdentifierType.VISITOR_TOKEN, "tpv.abc")),
                null, null, null, null, false, null, "{}");
        store.ingest().commit(List.of(Fixtures.accepted(phone, "req_phone")));

        // the fixture's five purchases carry phone 16505551212 and gclid Cj0KCQ; the other workspace's one too
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items())
                .extracting(EventLogEntry::requestId).containsExactly("req_ok_4", "req_ok_3", "req_ok_2", "req_ok_1", "req_ok_0");
        assertThat(byIdentifier(ws.id(), IdentifierType.GCLID, "Cj0KCQ", null, null, null, 100).items()).hasSize(5);
        assertThat(byIdentifier(other.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items())
                .extracting(EventLogEntry::requestId).containsExactly("req_theirs");
        for (Identifier i : phone.identifiers()) {
            assertThat(byIdentifier(ws.id(), i.type(), i.value(), null, null, null, 100).items()).as(i.toString())
                    .extracting(EventLogEntry::requestId).containsExactly("req_phone");
        }
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505559999", null, null, null, 100).items()).isEmpty();
        assertThat(byIdentifier(ws.id(), IdentifierType.CLIENT_ID, "16505551212", null, null, null, 100).items())
                .as("the type is part of the match").isEmpty();
        // a refused request is found by the email it named, as the email filter finds it
        assertThat(byIdentifier(ws.id(), IdentifierType.EMAIL, "bad@example.com", null, null, null, 100).items())
                .extracting(EventLogEntry::requestId).containsExactly("req_bad");
        assertThat(byIdentifier(ws.id(), IdentifierType.EMAIL, "jane@example.com", Outcome.ACCEPTED, null, null, 100).items()).hasSize(5);
        assertThat(byIdentifier(ws.id(), IdentifierType.EMAIL, "jane@example.com", Outcome.REJECTED, null, null, 100).items()).isEmpty();
    }

    @Test
    void theIndexerMovesIdentifiersIntoTheIndexAndASearchFindsTheSameBeforeAndAfter() {
        var before = byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items();
        var refusedBefore = byIdentifier(ws.id(), IdentifierType.EMAIL, "bad@example.com", null, null, null, 100).items();
        assertThat(store.stages().eventLogIndex().step(4)).isEqualTo(4);
        // half moved, half waiting: each entry is found once
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items()).isEqualTo(before);
        int moved = 0;
        for (int n; (n = store.stages().eventLogIndex().step(100)) > 0; ) moved += n;
        assertThat(moved).as("the rest: the fixture's other entries, of both workspaces").isEqualTo(3);
        assertThat(store.stages().eventLogIndex().step(100)).isZero();
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items()).isEqualTo(before)
                .hasSize(5);
        assertThat(byIdentifier(ws.id(), IdentifierType.EMAIL, "bad@example.com", null, null, null, 100).items())
                .isEqualTo(refusedBefore).hasSize(1);
        assertThat(byIdentifier(other.id(), IdentifierType.GCLID, "Cj0KCQ", null, null, null, 100).items())
                .extracting(EventLogEntry::requestId).containsExactly("req_theirs");
        // an entry logged later waits until the next step, and is found meanwhile
        Event later = Fixtures.fullEvent(ws, null);
        store.ingest().commit(List.of(Fixtures.accepted(later, "req_later")));
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items()).hasSize(6);
        assertThat(store.stages().eventLogIndex().step(100)).isEqualTo(1);
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, null, 100).items()).hasSize(6)
                .first().satisfies(e -> assertThat(e.requestId()).isEqualTo("req_later"));
    }

    @Test
    void anIdentifierSearchPagesAndTailsLikeEveryOther() {
        store.stages().eventLogIndex().step(2); // two of the five in the index, three waiting: pages walk both
        List<String> seen = new ArrayList<>();
        EventLogCursor cursor = null;
        int pages = 0;
        do {
            Page<EventLogEntry> page = byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, cursor, null, 2);
            page.items().forEach(e -> seen.add(e.requestId()));
            cursor = page.nextCursor() == null ? null : EventLogCursor.parse(page.nextCursor()).orElseThrow();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("req_ok_4", "req_ok_3", "req_ok_2", "req_ok_1", "req_ok_0");

        long start = store.eventLog().latestSequence();
        Event again = Fixtures.fullEvent(ws, null);
        store.ingest().commit(List.of(Fixtures.accepted(again, "req_again"),
                Fixtures.rejected(ws, "req_other_phone", Fixtures.T0, null, "someone@else.io")));
        assertThat(byIdentifier(ws.id(), IdentifierType.PHONE, "16505551212", null, null, start, 10).items())
                .extracting(EventLogEntry::requestId).containsExactly("req_again");
    }
}
