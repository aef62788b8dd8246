package io.touchpoint.server.exports;

import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.ExportStore.LastRun;
import io.touchpoint.core.store.ExportStore.Schedule;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.attribution.DataDrivenRuns;
import io.touchpoint.server.destinations.RetryPolicy;
import io.touchpoint.server.destinations.fakes.FakeExportReceiver;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import io.touchpoint.server.support.MovableClock;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled runs over PostgreSQL: a webhook tried again with backoff until it takes the file (or the tries run out),
 * the schedule run once a day from its hour on, and two processes on one database running a day's export once.
 */
class ExportRunTest {
    private static final String SECRET = "whsec_shared_with_the_receiver_0123";
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 4, Duration.ofHours(1));
    private final List<AutoCloseable> open = new ArrayList<>();
    private final SecretBox box = new SecretBox(SecretBox.newKey(), List.of());
    private final MovableClock clock = new MovableClock();
    @TempDir
    Path root;

    /** One server process's export parts over its own connection to the database. */
    private record Process(Store store, ExportScheduler scheduler, ExportRunner runner, ExportSchedules schedules) {
    }

    private Process process(String url) {
        Store store = new PostgresStore(url, null, null);
        open.add(store);
        Workspaces workspaces = new Workspaces(store, clock);
        DataDrivenRuns runs = new DataDrivenRuns(store.attribution(), store.workspaces(), clock, Duration.ofHours(1));
        open.add(runs);
        ExportSchedules schedules = new ExportSchedules(store.exports(), workspaces, box, clock);
        PlatformHttp http = new PlatformHttp(Duration.ofSeconds(2), Duration.ofSeconds(5), "touchpoint-test");
        open.add(http);
        ExportRunner runner = new ExportRunner(store.exports(), schedules, workspaces, store.eventLog(), store.attribution(), runs,
                root, http, FAST, clock);
        ExportScheduler scheduler = new ExportScheduler(store.exports(), store.workspaces(), runner, clock);
        open.add(scheduler);
        return new Process(store, scheduler, runner, schedules);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private static Schedule webhook(Process p, Workspace ws, FakeExportReceiver receiver, int hour) {
        return p.schedules().create(ws, Map.of("name", "log", "what", "events_log", "webhook_url", receiver.baseUrl() + "/in",
                "webhook_secret", SECRET, "hour", hour)).schedule();
    }

    @Test
    void aWebhookThatFailsIsTriedAgainWithBackoffUntilItTakesTheFile() {
        Process p = process(PostgresTestDatabase.freshSchemaUrl());
        Workspace ws = new Workspaces(p.store(), clock).create("retries", WorkspaceSettings.DEFAULTS).workspace();
        try (FakeExportReceiver receiver = new FakeExportReceiver(SECRET)) {
            Schedule s = webhook(p, ws, receiver, 3);
            LocalDate day = LocalDate.of(2026, 3, 4);
            receiver.failNext(2, 503, "{\"error\":\"busy\"}", null);
            LastRun ok = p.runner().run(s, day);
            assertThat(ok.status()).as(ok.message()).isEqualTo("ok");
            assertThat(receiver.requests()).hasSize(3);
            assertThat(receiver.files()).hasSize(1);
            assertThat(receiver.violations()).isEmpty();

            receiver.failNext(4, 503, "{\"error\":\"down\"}", null);
            LastRun failed = p.runner().run(s, day);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.message()).contains("after 4 tries").contains("HTTP 503");
            assertThat(receiver.requests()).hasSize(3 + 4);
            assertThat(p.store().exports().byId(s.id()).orElseThrow().lastRun()).isEqualTo(failed);

            receiver.down(true);
            assertThat(p.runner().run(s, day).message()).contains("after 4 tries");
        }
    }

    @Test
    void theSchedulerRunsEachScheduleOnceADayFromItsHourOn() {
        Process p = process(PostgresTestDatabase.freshSchemaUrl());
        Workspace ws = new Workspaces(p.store(), clock).create("daily", WorkspaceSettings.DEFAULTS).workspace();
        Instant fiveAm = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(5));
        clock.advance(Duration.between(clock.instant(), fiveAm));
        try (FakeExportReceiver receiver = new FakeExportReceiver(SECRET)) {
            receiver.useClock(clock); // the signature's time is checked against the receiver's
            webhook(p, ws, receiver, 6);
            assertThat(p.scheduler().tick()).as("before its hour").isZero();
            clock.advance(Duration.ofMinutes(70));
            assertThat(p.scheduler().tick()).isEqualTo(1);
            assertThat(p.scheduler().tick()).as("once a day").isZero();
            LocalDate yesterday = LocalDate.ofInstant(fiveAm, ZoneOffset.UTC).minusDays(1);
            assertThat(receiver.files()).singleElement()
                    .satisfies(f -> assertThat(f.name()).isEqualTo(ws.id() + "-events-log-" + yesterday + ".csv"));
            clock.advance(Duration.ofHours(20)); // 02:10 the next day
            assertThat(p.scheduler().tick()).isZero();
            clock.advance(Duration.ofHours(4));
            assertThat(p.scheduler().tick()).isEqualTo(1);
            assertThat(receiver.files()).hasSize(2);
        }
    }

    @Test
    void aRunWhoseProcessStoppedLateInItsDayIsTakenOverTheNextDay() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        Process stopped = process(url);
        Process other = process(url);
        Workspace ws = new Workspaces(other.store(), clock).create("late", WorkspaceSettings.DEFAULTS).workspace();
        Instant elevenPm = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(23));
        clock.advance(Duration.between(clock.instant(), elevenPm));
        LocalDate claimDay = LocalDate.ofInstant(elevenPm, ZoneOffset.UTC);
        try (FakeExportReceiver receiver = new FakeExportReceiver(SECRET)) {
            receiver.useClock(clock);
            Schedule s = webhook(other, ws, receiver, 22);
            // the stopped process claimed the day's run and never finished it
            assertThat(stopped.store().exports().claim(s.id(), claimDay, clock.instant())).isTrue();
            assertThat(other.scheduler().tick()).as("claimed").isZero();
            clock.advance(Duration.ofHours(2)); // 01:00, before the schedule's hour
            assertThat(other.scheduler().tick()).as("the claim is still young").isZero();
            clock.advance(ExportStore.ABANDONED_AFTER.minus(Duration.ofHours(2)));
            assertThat(other.scheduler().tick()).as("taken over, the day after its claim").isEqualTo(1);
            assertThat(receiver.files()).singleElement().satisfies(f -> assertThat(f.name())
                    .isEqualTo(ws.id() + "-events-log-" + claimDay.minusDays(1) + ".csv"));
            assertThat(other.scheduler().tick()).as("once").isZero();
            clock.advance(Duration.ofHours(20)); // past 22:00: today's own run
            assertThat(other.scheduler().tick()).isEqualTo(1);
            assertThat(receiver.files()).extracting(f -> f.name()).last()
                    .isEqualTo(ws.id() + "-events-log-" + claimDay + ".csv");
        }
    }

    @Test
    void twoProcessesOnOneDatabaseRunADaysExportOnce() throws Exception {
        String url = PostgresTestDatabase.freshSchemaUrl();
        Process one = process(url);
        Process two = process(url);
        Workspace ws = new Workspaces(one.store(), clock).create("two processes", WorkspaceSettings.DEFAULTS).workspace();
        try (FakeExportReceiver receiver = new FakeExportReceiver(SECRET)) {
            webhook(one, ws, receiver, 0);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Integer>> ticks = new ArrayList<>();
                for (int i = 0; i < 4; i++) ticks.add(i % 2 == 0 ? one.scheduler()::tick : two.scheduler()::tick);
                int ran = 0;
                for (Future<Integer> f : pool.invokeAll(ticks)) ran += f.get();
                assertThat(ran).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(receiver.files()).hasSize(1);
            assertThat(receiver.requests()).hasSize(1);
        }
    }
}
