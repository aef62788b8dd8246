package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.sqlite.SqliteStore;
import io.touchpoint.tests.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The purge of finished deliveries over a real SQLite store: nothing before the retention is up, then everything
 * finished, in as many batches as it takes; what is still to be sent stays.
 */
class DeliveryRetentionTest {
    private static final Instant T0 = Fixtures.T0;

    @TempDir
    Path dir;

    @Test
    void finishedDeliveriesGoOnceTheirRetentionIsUpBatchAfterBatch() throws InterruptedException {
        try (Store store = SqliteStore.inFolder(dir)) {
            Workspace ws = Fixtures.workspace("retention");
            store.workspaces().create(ws);
            Destination hook = new Destination("dst_hook", ws.id(), DestinationType.WEBHOOK, "hook", Map.of(), null, null, null,
                    null, null, null, true, T0, null);
            DestinationStore destinations = store.destinations();
            destinations.create(hook);
            int finished = DeliveryRetention.BATCH + 300;
            List<OutboxEntry> entries = new ArrayList<>();
            for (int i = 0; i <= finished; i++) {
                Event e = new Event("evt_" + i, ws.id(), Source.ABLE, "req_" + i, T0, T0, "purchase", List.of(), Person.EMPTY,
                        null, null, null, false, null, "{}");
                entries.add(OutboxEntry.pending(hook.id(), ws.id(), i + 1, null, "dd_" + i, e, Map.of(), T0));
            }
            destinations.enqueue(entries, entries.size());
            List<DeliveryAttempt> attempts = new ArrayList<>();
            for (OutboxEntry e : destinations.due(hook.id(), T0, finished)) {
                attempts.add(new DeliveryAttempt(e.id(), T0, 200, "{}", DeliveryStatus.SENT, null, null));
            }
            destinations.record(attempts);
            assertThat(destinations.stats(hook.id()).counts().get(DeliveryStatus.SENT)).isEqualTo(finished);

            Duration retention = Duration.ofDays(90);
            assertThat(new DeliveryRetention(destinations, at(T0.plus(retention)), retention).purge()).isZero();
            assertThat(new DeliveryRetention(destinations, at(T0.plus(retention).plusSeconds(1)), retention).purge())
                    .isEqualTo(finished);
            assertThat(destinations.stats(hook.id()).counts().get(DeliveryStatus.SENT)).isZero();
            assertThat(destinations.openCount()).as("the one still to be sent").isEqualTo(1);
            assertThat(destinations.due(hook.id(), T0, 10)).extracting(OutboxEntry::eventId).containsExactly("evt_" + finished);
        }
    }

    private static Clock at(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }
}
