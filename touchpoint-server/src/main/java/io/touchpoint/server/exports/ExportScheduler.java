package io.touchpoint.server.exports;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.ExportStore.Schedule;
import io.touchpoint.core.store.WorkspaceStore;
import io.touchpoint.server.ops.Stopping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each schedule once a day: every {@link #INTERVAL} it looks at every schedule, and one whose hour has come in its
 * workspace's time zone and whose run of the day is not claimed yet is claimed in the store and run, exporting the
 * day before. The claim is what keeps it to one run a day when several processes share one database; a run that
 * fails is not retried by the scheduler (the webhook's own retries aside) and shows as failed on the schedule, from
 * where it can be run again. A run whose process stopped mid-way is taken over once its claim is old, even when that
 * is the next day.
 */
public final class ExportScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportScheduler.class);
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    private final ExportStore store;
    private final WorkspaceStore workspaces;
    private final ExportRunner runner;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "touchpoint-exports");
        t.setDaemon(true);
        return t;
    });

    public ExportScheduler(ExportStore store, WorkspaceStore workspaces, ExportRunner runner, Clock clock) {
        this.store = store;
        this.workspaces = workspaces;
        this.runner = runner;
        this.clock = clock;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, INTERVAL.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    /** One look at every schedule; answers how many runs this process claimed. A failure is logged, the next look tries again. */
    public int tick() {
        int ran = 0;
        try {
            for (Schedule s : store.all()) {
                Optional<Workspace> ws = workspaces.byId(s.workspaceId());
                if (ws.isEmpty()) continue;
                ZonedDateTime now = clock.instant().atZone(ZoneId.of(ws.get().settings().timeZone()));
                LocalDate today = now.toLocalDate();
                // yesterday's run abandoned late in its day is not given up at midnight
                if (store.takeOver(s.id(), today.minusDays(1), clock.instant())) {
                    runner.run(s, today.minusDays(2));
                    ran++;
                }
                if (now.getHour() < s.hour() || !store.claim(s.id(), today, clock.instant())) continue;
                runner.run(s, today.minusDays(1));
                ran++;
            }
        } catch (RuntimeException e) {
            LOG.warn("could not run scheduled exports: {}", e.getMessage());
        }
        return ran;
    }

    /**
     * Lets a run in progress end for a few seconds, then interrupts it and waits as long again, so that the store is
     * not closed under it. A run stopped mid-way is taken over later ({@link ExportStore#ABANDONED_AFTER}).
     */
    @Override
    public void close() {
        Stopping.stop(timer, LOG, "an export run");
    }
}
