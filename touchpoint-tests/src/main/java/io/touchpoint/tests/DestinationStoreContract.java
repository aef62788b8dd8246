package io.touchpoint.tests;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationStats;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.DestinationStore.Replay;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.touchpoint.core.destinations.DeliveryStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Destinations, the outbox and the ledger: enqueueing with the cursor, senders' due entries and attempts, and what
 * users see and replay.
 */
public abstract class DestinationStoreContract extends DestinationContractBase {
    // --- destinations

    @Test
    void destinationsAreCreatedFoundListedUpdatedAndDeleted() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        Destination meta = f.destination(ws, "Meta", DestinationType.META, true);
        Destination hook = new Destination("dst_hook", ws.id(), DestinationType.WEBHOOK, "Hook", Map.of("url", "https://h.example/"),
                null, null, null, null, null, "http://127.0.0.1:9/", false, T0.plusSeconds(5), null);
        Destination theirs = f.destination(other, "Meta", DestinationType.META, true);
        List.of(hook, meta, theirs).forEach(d::create);

        assertThat(d.find(meta.id())).contains(meta);
        assertThat(d.find(hook.id())).contains(hook);
        assertThat(d.find(hook.id()).orElseThrow().events()).isNull(); // every conversion, not none
        assertThat(d.find("dst_none")).isEmpty();
        assertThat(d.list(ws.id())).containsExactly(meta, hook);
        assertThat(d.enabled()).containsExactlyInAnyOrder(meta, theirs);

        Destination renamed = new Destination(hook.id(), ws.id(), hook.type(), "Orders hook", Map.of("url", "https://o.example/"),
                "v1:sealed", List.of("purchase"), Map.of("purchase", "order"), null, AttributionModel.FIRST_TOUCH, null,
                true, hook.createdAt(), T0.plusSeconds(60));
        assertThat(d.update(renamed)).isTrue();
        assertThat(d.find(hook.id())).contains(renamed);
        assertThat(d.enabled()).contains(renamed);
        assertThat(d.update(new Destination("dst_none", ws.id(), hook.type(), "x", null, null, null, null, null, null, null,
                true, T0, null))).isFalse();
        // a destination stays in its workspace
        assertThat(d.update(new Destination(hook.id(), other.id(), hook.type(), "moved", null, null, null, null, null, null,
                null, true, T0, null))).isFalse();
        assertThat(d.find(hook.id())).contains(renamed);

        assertThat(d.delete(hook.id())).isTrue();
        assertThat(d.delete(hook.id())).isFalse();
        assertThat(d.list(ws.id())).containsExactly(meta);
    }

    // --- the outbox

    @Test
    void enqueueingIsIdempotentAndMovesTheCursorInTheSameTransaction() {
        Destination meta = f.create("Meta");
        Event a = f.event("purchase", Duration.ZERO);
        Event b = f.event("purchase", Duration.ofMinutes(1));
        assertThat(d.cursor()).isZero();
        d.enqueue(List.of(f.pending(meta, a, T0), OutboxEntry.skipped(meta.id(), ws.id(), 2, "prof_1", "dd_b", b,
                Map.of(), "not attributed to meta", T0)), 5);
        assertThat(d.cursor()).isEqualTo(5);
        // again (a stage batch redone after a crash): the entries stay as they were
        d.enqueue(List.of(OutboxEntry.pending(meta.id(), ws.id(), 1, "prof_2", "dd_other", a, Map.of(), LATER)), 7);
        assertThat(d.cursor()).isEqualTo(7);
        List<OutboxEntry> due = d.due(meta.id(), LATER, 10);
        assertThat(due).singleElement().satisfies(e -> {
            assertThat(e.id()).isPositive();
            assertThat(e).isEqualTo(new OutboxEntry(e.id(), meta.id(), ws.id(), a.id(), 1, "prof_1", "dd_" + a.id(), a,
                    Map.of("email", "event", "fbc", "profile"), PENDING, null, 0, T0, T0));
        });
        assertThat(f.delivery(meta, b)).satisfies(x -> {
            assertThat(x.status()).isEqualTo(SKIPPED);
            assertThat(x.reason()).isEqualTo("not attributed to meta");
            assertThat(x.attempts()).isZero();
        });
        assertThat(d.attempts(f.delivery(meta, b).outboxId())).isEmpty();

        // one entry the database refuses (no event to send): nothing of the batch is stored and the cursor stays
        Event c = f.event("purchase", Duration.ofMinutes(2));
        OutboxEntry broken = new OutboxEntry(0, meta.id(), ws.id(), "evt_broken", 4, null, "dd", null, null, PENDING, null, 0, T0, null);
        assertThatThrownBy(() -> d.enqueue(List.of(f.pending(meta, c, T0), broken), 9)).isInstanceOf(RuntimeException.class);
        assertThat(d.cursor()).isEqualTo(7);
        assertThat(d.deliveries(ws.id(), List.of(c.id()))).isEmpty();
        // a destination removed since the stage listed them gets nothing, and the batch goes through
        d.enqueue(List.of(OutboxEntry.pending("dst_gone", ws.id(), 3, null, "dd", c, Map.of(), T0), f.pending(meta, c, T0)), 9);
        assertThat(d.cursor()).isEqualTo(9);
        assertThat(d.deliveries(ws.id(), List.of(c.id())).get(c.id())).extracting(Delivery::destinationId).containsExactly(meta.id());
    }

    @Test
    void anEventEnrichedAlikeForSeveralDestinationsIsSharedAndEachReadsItsOwn() {
        Destination meta = f.create("Meta");
        Destination hook = f.create("Hook", DestinationType.WEBHOOK);
        Destination tiktok = f.create("TikTok", DestinationType.TIKTOK);
        Event a = f.event("purchase", Duration.ZERO);
        Event b = f.event("purchase", Duration.ofMinutes(1));
        // TikTok's longer click window found the profile's IP address too
        Event aWider = new Event(a.id(), a.workspaceId(), a.source(), a.requestId(), a.receivedAt(), a.eventTime(), a.name(),
                a.identifiers(), a.person(), new io.touchpoint.core.model.Context("203.0.113.9", null, null, null, null, null),
                a.commerce(), a.idempotencyKey(), a.doNotForward(), a.customData(), a.rawPayload());
        d.enqueue(List.of(f.pending(meta, a, T0), f.pending(hook, a, T0), f.pending(tiktok, aWider, T0), f.pending(meta, b, T0)), 1);

        assertThat(d.due(meta.id(), LATER, 10)).extracting(OutboxEntry::event).containsExactly(a, b);
        assertThat(d.due(hook.id(), LATER, 10)).extracting(OutboxEntry::event).containsExactly(a);
        assertThat(d.due(tiktok.id(), LATER, 10)).extracting(OutboxEntry::event).containsExactly(aWider);
        // enqueued again (a batch redone): nothing changes
        d.enqueue(List.of(f.pending(meta, a, T0), f.pending(hook, a, T0)), 2);
        assertThat(d.due(hook.id(), LATER, 10)).extracting(OutboxEntry::event).containsExactly(a);
        // removing one destination leaves the others' copy of the event they shared
        assertThat(d.delete(meta.id())).isTrue();
        assertThat(d.due(hook.id(), LATER, 10)).extracting(OutboxEntry::event).containsExactly(a);
        assertThat(d.due(tiktok.id(), LATER, 10)).extracting(OutboxEntry::event).containsExactly(aWider);
    }

    @Test
    void dueEntriesAreTheOpenOnesWhoseTimeHasComeOldestFirst() {
        Destination meta = f.create("Meta");
        Destination other = f.create("Other");
        Event late = f.event("purchase", Duration.ZERO);
        Event early = f.event("purchase", Duration.ZERO);
        Event tied = f.event("purchase", Duration.ZERO);
        Event future = f.event("purchase", Duration.ZERO);
        d.enqueue(List.of(f.pending(meta, late, T0.plusSeconds(3)), f.pending(meta, early, T0.plusSeconds(1)),
                f.pending(meta, tied, T0.plusSeconds(3)), f.pending(meta, future, T0.plusSeconds(60)),
                f.pending(other, early, T0)), 1);
        assertThat(d.due(meta.id(), T0.plusSeconds(3), 10)).extracting(OutboxEntry::eventId)
                .containsExactly(early.id(), late.id(), tied.id());
        assertThat(d.due(meta.id(), T0.plusSeconds(3), 2)).extracting(OutboxEntry::eventId).containsExactly(early.id(), late.id());
        assertThat(d.due(meta.id(), T0, 10)).isEmpty();
        assertThat(d.nextDue(meta.id())).contains(T0.plusSeconds(1));
        assertThat(d.nextDue("dst_none")).isEmpty();

        d.record(List.of(f.sent(d.due(meta.id(), T0.plusSeconds(3), 1).get(0).id(), T0.plusSeconds(2))));
        assertThat(d.nextDue(meta.id())).contains(T0.plusSeconds(3));
        assertThat(d.openCount()).isEqualTo(4);
    }

    @Test
    void attemptsMoveTheirEntriesAndAreKeptInTheLedger() {
        Destination meta = f.create("Meta");
        Event a = f.event("purchase", Duration.ZERO);
        Event b = f.event("purchase", Duration.ZERO);
        Event c = f.event("purchase", Duration.ZERO);
        d.enqueue(List.of(f.pending(meta, a, T0), f.pending(meta, b, T0), f.pending(meta, c, T0)), 1);
        long ida = f.delivery(meta, a).outboxId();
        long idb = f.delivery(meta, b).outboxId();
        long idc = f.delivery(meta, c).outboxId();
        Instant retryAt = T0.plusSeconds(60);
        DeliveryAttempt failed = new DeliveryAttempt(ida, T0.plusSeconds(1), 503, "unavailable", RETRYING, null, retryAt);
        DeliveryAttempt dead = new DeliveryAttempt(idb, T0.plusSeconds(1), 400, "{\"error\":\"bad pixel\"}", DEAD, "rejected", null);
        DeliveryAttempt skipped = new DeliveryAttempt(idc, T0.plusSeconds(1), 0, null, SKIPPED, "too old", null);
        d.record(List.of(failed, dead, skipped, f.sent(999_999, T0))); // an entry gone meanwhile is passed over

        assertThat(f.delivery(meta, a)).satisfies(x -> {
            assertThat(x.status()).isEqualTo(RETRYING);
            assertThat(x.attempts()).isEqualTo(1);
            assertThat(x.lastStatusCode()).isEqualTo(503);
            assertThat(x.response()).isEqualTo("unavailable");
            assertThat(x.nextAttemptAt()).isEqualTo(retryAt);
            assertThat(x.sentAt()).isNull();
        });
        assertThat(d.due(meta.id(), retryAt.minusMillis(1), 10)).isEmpty();
        assertThat(d.due(meta.id(), retryAt, 10)).singleElement().satisfies(e -> assertThat(e.attempts()).isEqualTo(1));
        d.record(List.of(f.sent(ida, retryAt.plusSeconds(1))));
        assertThat(f.delivery(meta, a)).satisfies(x -> {
            assertThat(x.status()).isEqualTo(SENT);
            assertThat(x.attempts()).isEqualTo(2);
            assertThat(x.sentAt()).isEqualTo(retryAt.plusSeconds(1));
            assertThat(x.nextAttemptAt()).isNull();
            assertThat(x.enrichedFields()).containsEntry("fbc", "profile");
            assertThat(x.destinationName()).isEqualTo("Meta");
        });
        assertThat(d.attempts(ida)).containsExactly(failed, f.sent(ida, retryAt.plusSeconds(1)));
        assertThat(f.delivery(meta, b)).satisfies(x -> {
            assertThat(x.status()).isEqualTo(DEAD);
            assertThat(x.reason()).isEqualTo("rejected");
            assertThat(x.response()).contains("bad pixel");
        });
        assertThat(f.delivery(meta, c)).satisfies(x -> assertThat(x.reason()).isEqualTo("too old"));
        assertThat(d.attempts(idc)).containsExactly(skipped);
        assertThat(d.due(meta.id(), LATER, 10)).isEmpty();
        assertThat(d.openCount()).isZero();
    }

    // --- what users see

    @Test
    void deliveriesAreGroupedByEventAndRecentOnesListedNewestFirst() {
        Destination meta = f.create("Meta");
        Destination hook = f.create("Hook", DestinationType.WEBHOOK);
        Event a = f.event("purchase", Duration.ZERO);
        Event b = f.event("purchase", Duration.ZERO);
        d.enqueue(List.of(f.pending(meta, a, T0), f.pending(hook, a, T0), f.pending(meta, b, T0)), 1);
        d.record(List.of(f.sent(f.delivery(meta, a).outboxId(), T0)));

        Map<String, List<Delivery>> byEvent = d.deliveries(ws.id(), List.of(a.id(), b.id(), "evt_none"));
        assertThat(byEvent).containsOnlyKeys(a.id(), b.id());
        assertThat(byEvent.get(a.id())).extracting(Delivery::type, Delivery::destinationName, Delivery::status).containsExactly(
                tuple(DestinationType.META, "Meta", SENT), tuple(DestinationType.WEBHOOK, "Hook", PENDING));
        assertThat(byEvent.get(b.id())).singleElement().satisfies(x -> {
            assertThat(x.eventId()).isEqualTo(b.id());
            assertThat(x.createdAt()).isEqualTo(T0);
            assertThat(x.nextAttemptAt()).isEqualTo(T0);
        });
        assertThat(d.deliveries("ws_other", List.of(a.id()))).isEmpty();
        assertThat(d.deliveries(ws.id(), List.of())).isEmpty();

        assertThat(d.recent(meta.id(), null, 10)).extracting(Delivery::eventId).containsExactly(b.id(), a.id());
        assertThat(d.recent(meta.id(), null, 1)).extracting(Delivery::eventId).containsExactly(b.id());
        assertThat(d.recent(meta.id(), SENT, 10)).extracting(Delivery::eventId).containsExactly(a.id());
        assertThat(d.recent(hook.id(), DEAD, 10)).isEmpty();
    }

    @Test
    void statsCountEveryStatusAndNameTheLastFailureAndTheLastSend() {
        Destination meta = f.create("Meta");
        assertThat(d.stats(meta.id())).isEqualTo(new DestinationStats(DestinationFixtures.counts(0, 0, 0, 0, 0), null, null, null,
                null));
        List<Event> events = Stream.generate(() -> f.event("purchase", Duration.ZERO)).limit(4).toList();
        d.enqueue(events.stream().map(e -> f.pending(meta, e, T0)).toList(), 1);
        long[] ids = events.stream().mapToLong(e -> f.delivery(meta, e).outboxId()).toArray();
        d.record(List.of(new DeliveryAttempt(ids[0], T0.plusSeconds(1), 500, "oops", RETRYING, null, LATER),
                f.sent(ids[1], T0.plusSeconds(2))));
        assertThat(d.stats(meta.id())).isEqualTo(new DestinationStats(DestinationFixtures.counts(2, 1, 1, 0, 0), T0.plusSeconds(1),
                "HTTP 500: oops", T0.plusSeconds(2), T0));
        d.record(List.of(new DeliveryAttempt(ids[2], T0.plusSeconds(3), 0, null, DEAD, "connection refused", null),
                new DeliveryAttempt(ids[3], T0.plusSeconds(3), 0, null, SKIPPED, "no click id", null)));
        DestinationStats s = d.stats(meta.id());
        assertThat(s.count(DEAD)).isEqualTo(1);
        assertThat(s.count(SKIPPED)).isEqualTo(1);
        assertThat(s.lastErrorAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(s.lastError()).isEqualTo("connection refused");
        assertThat(s.oldestOpenAt()).as("the retrying entry, queued at T0, still waits").isEqualTo(T0);
    }

    @Test
    void theOldestOpenDeliveryIsTheLongestWaitingPendingOrRetryingOneOfAnyDestination() {
        Destination meta = f.create("Meta");
        Destination hook = f.create("Hook");
        assertThat(d.oldestOpenAt()).isEmpty();
        Event first = f.event("purchase", Duration.ZERO);
        Event second = f.event("purchase", Duration.ZERO);
        Event third = f.event("purchase", Duration.ZERO);
        d.enqueue(List.of(f.pending(meta, first, T0)), 1);
        d.enqueue(List.of(f.pending(meta, second, T0.plusSeconds(60)), f.pending(hook, third, T0.plusSeconds(120))), 2);
        assertThat(d.oldestOpenAt()).contains(T0);
        assertThat(d.stats(hook.id()).oldestOpenAt()).isEqualTo(T0.plusSeconds(120));

        long firstId = f.delivery(meta, first).outboxId();
        long secondId = f.delivery(meta, second).outboxId();
        d.record(List.of(new DeliveryAttempt(secondId, T0.plusSeconds(130), 429, "slow down", RETRYING, null, LATER),
                f.sent(firstId, T0.plusSeconds(130))));
        assertThat(d.stats(meta.id()).oldestOpenAt()).as("the retrying one").isEqualTo(T0.plusSeconds(60));
        assertThat(d.oldestOpenAt()).contains(T0.plusSeconds(60));

        d.record(List.of(f.sent(secondId, T0.plusSeconds(140)), f.sent(f.delivery(hook, third).outboxId(), T0.plusSeconds(140))));
        assertThat(d.stats(meta.id()).oldestOpenAt()).isNull();
        assertThat(d.oldestOpenAt()).isEmpty();
    }

    // --- replay and removal

    @Test
    void replayPutsTheSelectedEntriesBackToPendingDueNow() {
        Destination meta = f.create("Meta");
        Destination other = f.create("Other");
        Event sent = f.event("purchase", Duration.ofHours(1));
        Event dead = f.event("purchase", Duration.ofHours(2));
        Event skipped = f.event("purchase", Duration.ofHours(3));
        Event outside = f.event("purchase", Duration.ofDays(5));
        d.enqueue(List.of(f.pending(meta, sent, T0), f.pending(meta, dead, T0), f.pending(meta, outside, T0),
                OutboxEntry.skipped(meta.id(), ws.id(), 3, null, "dd_s", skipped, Map.of(), "not attributed", T0),
                f.pending(other, dead, T0)), 1);
        d.record(List.of(f.sent(f.delivery(meta, sent).outboxId(), T0), f.sent(f.delivery(meta, outside).outboxId(), T0),
                new DeliveryAttempt(f.delivery(meta, dead).outboxId(), T0, 400, "no", DEAD, null, null)));

        assertThat(d.replay(meta.id(), Replay.status(DEAD), LATER)).isEqualTo(1);
        assertThat(f.delivery(meta, dead)).satisfies(x -> {
            assertThat(x.status()).isEqualTo(PENDING);
            assertThat(x.attempts()).isZero();
            assertThat(x.nextAttemptAt()).isEqualTo(LATER);
        });
        assertThat(d.due(meta.id(), LATER, 10)).extracting(OutboxEntry::eventId).containsExactly(dead.id());
        // a range takes what was sent in it, never what a rule skipped
        assertThat(d.replay(meta.id(), Replay.range(T0, T0.plus(Duration.ofDays(1))), LATER)).isEqualTo(2);
        assertThat(List.of(sent, skipped, outside)).extracting(e -> f.delivery(meta, e).status()).containsExactly(PENDING, SKIPPED, SENT);
        // named events are taken whatever they came to; another destination's are not
        assertThat(d.replay(meta.id(), Replay.events(List.of(skipped.id(), "evt_none")), LATER)).isEqualTo(1);
        assertThat(f.delivery(meta, skipped)).satisfies(x -> {
            assertThat(x.status()).isEqualTo(PENDING);
            assertThat(x.reason()).isNull();
        });
        assertThat(d.replay(other.id(), Replay.events(List.of(sent.id())), LATER)).isZero();
        assertThat(d.replay(meta.id(), Replay.status(SKIPPED), LATER)).isZero();
        assertThatThrownBy(() -> d.replay(meta.id(), new Replay(null, null, null, null), LATER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- retention

    @Test
    void finishedDeliveriesAgeOutOldestFirstWithTheirAttemptsAndOpenOnesStay() {
        Destination meta = f.create("Meta");
        Destination hook = f.create("Hook", DestinationType.WEBHOOK);
        Event first = f.event("purchase", Duration.ZERO);
        Event shared = f.event("purchase", Duration.ZERO);
        Event refused = f.event("purchase", Duration.ZERO);
        Event open = f.event("purchase", Duration.ZERO);
        Event resent = f.event("purchase", Duration.ZERO);
        d.enqueue(List.of(f.pending(meta, first, T0), f.pending(meta, shared, T0), f.pending(hook, shared, T0),
                f.pending(meta, refused, T0), f.pending(meta, open, T0), f.pending(meta, resent, T0)), 1);
        long firstId = f.delivery(meta, first).outboxId();
        long refusedId = f.delivery(meta, refused).outboxId();
        Instant early = T0.plusSeconds(1);
        d.record(List.of(f.sent(firstId, early), f.sent(f.delivery(meta, shared).outboxId(), early),
                new DeliveryAttempt(f.delivery(hook, shared).outboxId(), early, 503, null, RETRYING, null, LATER),
                new DeliveryAttempt(refusedId, early, 400, "{\"error\":\"bad\"}", DEAD, "rejected", null),
                new DeliveryAttempt(f.delivery(meta, open).outboxId(), early, 503, null, RETRYING, null, LATER),
                f.sent(f.delivery(meta, resent).outboxId(), early)));
        d.record(List.of(f.sent(f.delivery(meta, resent).outboxId(), LATER))); // sent again after a replay
        Instant cutoff = T0.plusSeconds(3600);

        assertThat(d.purgeFinished(cutoff, 1)).as("one at a time, oldest first").isEqualTo(1);
        assertThat(d.deliveries(ws.id(), List.of(first.id()))).isEmpty();
        assertThat(d.attempts(firstId)).isEmpty();
        assertThat(d.purgeFinished(cutoff, 10)).isEqualTo(2);
        assertThat(d.purgeFinished(cutoff, 10)).isZero();

        assertThat(d.deliveries(ws.id(), List.of(first.id(), shared.id(), refused.id(), open.id(), resent.id())))
                .containsOnlyKeys(shared.id(), open.id(), resent.id());
        assertThat(d.attempts(refusedId)).isEmpty();
        assertThat(f.delivery(hook, shared).status()).isEqualTo(RETRYING);
        assertThat(d.due(hook.id(), LATER, 10)).as("the body Meta's purged entry shared").extracting(OutboxEntry::event)
                .containsExactly(shared);
        assertThat(f.delivery(meta, open).status()).isEqualTo(RETRYING);
        assertThat(f.delivery(meta, resent).attempts()).isEqualTo(2);
        assertThat(d.stats(meta.id()).counts()).isEqualTo(DestinationFixtures.counts(0, 1, 1, 0, 0));

        // once the open ones are finished and old enough, nothing is left
        d.record(List.of(f.sent(f.delivery(hook, shared).outboxId(), LATER), f.sent(f.delivery(meta, open).outboxId(), LATER)));
        assertThat(d.purgeFinished(LATER, 10)).isZero();
        assertThat(d.purgeFinished(LATER.plusMillis(1), 10)).isEqualTo(3);
        assertThat(d.deliveries(ws.id(), List.of(shared.id(), open.id(), resent.id()))).isEmpty();
        assertThat(d.purgeFinished(LATER.plusSeconds(1), 10)).isZero();
    }

    @Test
    void deletingADestinationRemovesItsOutboxAndLedgerOnly() {
        Destination meta = f.create("Meta");
        Destination other = f.create("Other");
        Event a = f.event("purchase", Duration.ZERO);
        d.enqueue(List.of(f.pending(meta, a, T0), f.pending(other, a, T0)), 1);
        long id = f.delivery(meta, a).outboxId();
        d.record(List.of(new DeliveryAttempt(id, T0, 503, null, RETRYING, null, LATER)));
        assertThat(d.openCount()).isEqualTo(2);

        assertThat(d.delete(meta.id())).isTrue();
        assertThat(d.find(meta.id())).isEmpty();
        assertThat(d.attempts(id)).isEmpty();
        assertThat(d.due(meta.id(), LATER, 10)).isEmpty();
        assertThat(d.stats(meta.id()).counts().values()).containsOnly(0L);
        assertThat(d.deliveries(ws.id(), List.of(a.id())).get(a.id())).extracting(Delivery::destinationId).containsExactly(other.id());
        assertThat(d.openCount()).isEqualTo(1);
    }
}
