package io.touchpoint.server.traffic;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.TrafficStore;
import io.touchpoint.core.traffic.TrafficReport;
import io.touchpoint.server.http.Json;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The traffic report a dashboard opens with (the workspace's last 30 days, the default limit), asked for the first
 * workspaces when the server starts, on a background thread, so that a person's first traffic report finds the code
 * compiled and the rollup's rows in the database's cache rather than paying both (seconds at a large workspace). Each
 * is a real report whose answer, written as the route writes it, is dropped; each is logged with its time.
 */
final class TrafficWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficWarmUp.class);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Workspaces asked for, in the order the workspace list gives them. */
    static final int WORKSPACES = 4;
    /** Rounds of each report: the first compiles the loops, the second the methods they call. */
    static final int ROUNDS = 2;

    private TrafficWarmUp() {
    }

    /** Asks the reports of {@link #warm} on a background thread; a failure (the server stopped meanwhile) is logged. */
    static void start(TrafficStore store, Supplier<List<Workspace>> workspaces, Clock clock) {
        Thread.ofPlatform().name("traffic-warm-up").daemon(true).start(() -> {
            try {
                warm(store, workspaces.get(), clock);
            } catch (RuntimeException e) {
                LOG.debug("traffic reports were not asked ahead: {}", e.getMessage());
            }
        });
    }

    /** Asks each of the first {@link #WORKSPACES} workspaces' default report {@link #ROUNDS} times; answers the reports. */
    static List<TrafficReport> warm(TrafficStore store, List<Workspace> workspaces, Clock clock) {
        List<TrafficReport> asked = new ArrayList<>();
        for (Workspace ws : workspaces.subList(0, Math.min(WORKSPACES, workspaces.size()))) {
            long t = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            LocalDate to = TrafficRoutes.today(ws, clock);
            TrafficReport report = null;
            for (int i = 0; i < ROUNDS; i++) {
                report = store.report(ws.id(), to.minusDays(TrafficRoutes.DEFAULT_DAYS - 1), to, TrafficRoutes.DEFAULT_LIMIT);
                Json.bytes(TrafficView.of(report));
            }
            asked.add(report);
            LOG.info("traffic report of workspace {} asked ahead ({} visits in the last {} days): {} ms ({} ms of this"
                            + " thread's CPU)", ws.id(), report.totals().visits(), TrafficRoutes.DEFAULT_DAYS,
                    (System.nanoTime() - t) / 1_000_000, (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
        }
        return asked;
    }
}
