package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.storage.sqlite.SqliteStore;
import io.touchpoint.tests.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Markov and Shapley runs are computed by the background worker only; a request waits for one a bounded time. */
class DataDrivenRunsTest {
    @TempDir
    Path dir;

    @Test
    void aRequestNeverComputesARunAndAnswersWhatIsStoredWhenTheWorkerTakesLongerThanTheWait() throws Exception {
        try (SqliteStore store = SqliteStore.inFolder(dir)) {
            Workspace ws = Fixtures.workspace("acme");
            store.workspaces().create(ws);
            List<String> computedOn = new CopyOnWriteArrayList<>();
            AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));
            // the store as the runs see it: reading journeys notes the thread and waits for the gate
            AttributionStore held = beforeJourneys(store.attribution(), () -> {
                computedOn.add(Thread.currentThread().getName());
                gate.get().await();
            });
            LocalDate day = LocalDate.of(2026, 3, 1);
            ReportQuery q = new ReportQuery(ws.id(), day.minusDays(29), day, GroupBy.CHANNEL,
                    List.of(AttributionModel.MARKOV, AttributionModel.LINEAR), null, false);
            try (DataDrivenRuns runs = new DataDrivenRuns(held, store.workspaces(), Clock.systemUTC(), null, Duration.ofMillis(200),
                    DataDrivenRuns.QUICK_RUN_CONVERSIONS)) {
                Supplier<Report.DataDriven> report = () -> Reports.read(held, runs, new ReportIndexes(held, 1), ws, q, ReportOptions.DEFAULTS, false).report().dataDriven();

                // asked first while the worker is held: the report answers without a run, saying one is under way
                assertThat(report.get()).isEqualTo(new Report.DataDriven(null, false, true));
                assertThat(report.get()).as("a second request joins the same run").isEqualTo(new Report.DataDriven(null, false, true));
                gate.get().countDown();
                Report.DataDriven first = await(report);
                assertThat(first.stale()).isFalse();
                assertThat(first.recomputing()).isFalse();

                // recompute now, while the worker is held: answered with the run stored before, being recomputed
                gate.set(new CountDownLatch(1));
                Report.DataDriven now = Reports.read(held, runs, new ReportIndexes(held, 1), ws, q, ReportOptions.DEFAULTS, true).report().dataDriven();
                assertThat(now).isEqualTo(new Report.DataDriven(first.computedAt(), false, true));
                gate.get().countDown();
                Report.DataDriven recomputed = await(() -> {
                    Report.DataDriven d = report.get();
                    return d.computedAt().equals(first.computedAt()) ? null : d;
                });
                assertThat(recomputed.recomputing()).isFalse();
                assertThat(computedOn).hasSizeGreaterThanOrEqualTo(2).allMatch("attribution-models"::equals);
            }
        }
    }

    @Test
    void aFirstRequestOverManyConversionsAnswersWithinItsBoundWhileTheRunTakesLonger() throws Exception {
        try (SqliteStore store = SqliteStore.inFolder(dir)) {
            Workspace ws = Fixtures.workspace("acme");
            store.workspaces().create(ws);
            CountDownLatch gate = new CountDownLatch(1);
            // a run that takes as long as the test holds it, as one over a million conversions takes seconds
            AttributionStore slow = beforeJourneys(store.attribution(), gate::await);
            LocalDate day = LocalDate.of(2026, 3, 1);
            ReportQuery q = new ReportQuery(ws.id(), day.minusDays(29), day, GroupBy.CHANNEL,
                    List.of(AttributionModel.SHAPLEY, AttributionModel.LINEAR), null, false);
            // every range counts as one of many conversions, as at a million
            try (DataDrivenRuns runs = new DataDrivenRuns(slow, store.workspaces(), Clock.systemUTC(), null, DataDrivenRuns.WAIT, 0)) {
                long t = System.nanoTime();
                Report.DataDriven first = Reports.read(slow, runs, new ReportIndexes(slow, 1), ws, q, ReportOptions.DEFAULTS, false)
                        .report().dataDriven();
                Duration took = Duration.ofNanos(System.nanoTime() - t);
                assertThat(first).isEqualTo(new Report.DataDriven(null, false, true));
                assertThat(took).as("waited at least the least wait, far less than a recomputation's")
                        .isGreaterThanOrEqualTo(DataDrivenRuns.MIN_WAIT).isLessThan(DataDrivenRuns.WAIT.dividedBy(4));
                gate.countDown();
                Report.DataDriven later = await(() -> Reports.read(slow, runs, new ReportIndexes(slow, 1), ws, q,
                        ReportOptions.DEFAULTS, false).report().dataDriven());
                assertThat(later.stale()).isFalse();
            }
        }
    }

    /** What a test does on the thread that reads journeys, before it reads them. */
    private interface Hold {
        void run() throws Exception;
    }

    /** The store as the runs see it: each read of journeys first runs {@code hold}. */
    private static AttributionStore beforeJourneys(AttributionStore store, Hold hold) {
        return (AttributionStore) Proxy.newProxyInstance(DataDrivenRunsTest.class.getClassLoader(),
                new Class<?>[]{AttributionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("journeys")) hold.run();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The answer once it has a run no longer under way, within 10 seconds. */
    private static Report.DataDriven await(Supplier<Report.DataDriven> report) throws InterruptedException {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < giveUp) {
            Report.DataDriven d = report.get();
            if (d != null && d.computedAt() != null && !d.recomputing()) return d;
            Thread.sleep(20);
        }
        throw new AssertionError("no run computed within 10 seconds");
    }
}
