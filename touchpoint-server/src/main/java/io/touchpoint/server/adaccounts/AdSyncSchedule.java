package io.touchpoint.server.adaccounts;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.adaccounts.SyncStatus;
import io.touchpoint.core.store.AdAccountStore;
import io.touchpoint.server.ops.Stopping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The scheduled sync: every few minutes, each enabled connection whose last sync began {@code ad-sync.interval-hours}
 * ago or more is synced over the default days, one at a time on one background thread. A connection whose token
 * was refused waits for a change to its settings (or a sync asked for by hand) rather than being refused again daily.
 */
public final class AdSyncSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdSyncSchedule.class);
    private static final Duration TICK = Duration.ofMinutes(5);
    private final AdAccountStore store;
    private final AdSync sync;
    private final Clock clock;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public AdSyncSchedule(AdAccountStore store, AdSync sync, Clock clock) {
        this.store = store;
        this.sync = sync;
        this.clock = clock;
        this.interval = Duration.ofHours(sync.settings().intervalHours());
    }

    public void start() {
        if (interval.isZero()) return;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ad-account-sync");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::syncDue, 1, TICK.toMinutes(), TimeUnit.MINUTES);
    }

    /** Syncs every connection that is due; returns how many it synced. */
    int syncDue() {
        int n = 0;
        try {
            for (AdAccount a : store.enabled()) {
                if (!due(a, clock.instant())) continue;
                LocalDate[] days = sync.defaultRange(a);
                try {
                    sync.sync(a, days[0], days[1]);
                    n++;
                } catch (AdSync.Busy e) {
                    // synced by hand right now: that sync counts
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("scheduled ad account sync stopped early: {}", e.toString());
        }
        return n;
    }

    boolean due(AdAccount a, Instant now) {
        SyncState s = a.lastSync();
        if (s.startedAt() == null) return true;
        if (s.status() == SyncStatus.AUTH_FAILED && !a.updatedAt().isAfter(s.startedAt())) return false;
        return !s.startedAt().plus(interval).isAfter(now);
    }

    /** Lets a sync in progress end for a few seconds, then interrupts it and waits as long again; it runs again when next due. */
    @Override
    public void close() {
        if (executor != null) Stopping.stop(executor, LOG, "an ad account sync");
    }
}
