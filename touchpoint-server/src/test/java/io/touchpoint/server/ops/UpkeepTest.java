package io.touchpoint.server.ops;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpkeepTest {
    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void aJobThatFailsRunsAgainAtItsNextTurnAndTheOthersKeepRunning() throws InterruptedException {
        AtomicInteger failing = new AtomicInteger();
        CountDownLatch thirdFailure = new CountDownLatch(3);
        CountDownLatch healthyRuns = new CountDownLatch(3);
        try (Upkeep upkeep = new Upkeep()
                .every(SHORT, Duration.ZERO, "failing purge", () -> {
                    failing.incrementAndGet();
                    thirdFailure.countDown();
                    throw new IllegalStateException("the store is away");
                })
                .every(SHORT, Duration.ZERO, "healthy purge", healthyRuns::countDown)) {
            upkeep.start();
            assertThat(thirdFailure.await(10, TimeUnit.SECONDS)).as("the failing job kept its turns").isTrue();
            assertThat(healthyRuns.await(10, TimeUnit.SECONDS)).as("the other job kept its turns").isTrue();
        }
        assertThat(failing.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void nothingRunsBeforeTheStartNorBeforeTheFirstDelay() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        try (Upkeep upkeep = new Upkeep().every(SHORT, Duration.ofMillis(400), "purge", runs::incrementAndGet)) {
            Thread.sleep(100);
            assertThat(runs.get()).as("not started").isZero();
            upkeep.start();
            Thread.sleep(100);
            assertThat(runs.get()).as("within the first delay").isZero();
        }
    }

    @Test
    void jobsRunOneAtATimeOnOneThread() throws InterruptedException {
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        CountDownLatch runs = new CountDownLatch(10);
        Upkeep.Job job = () -> {
            if (!inside.compareAndSet(false, true)) overlapped.set(true);
            threads.add(Thread.currentThread().getName());
            Thread.sleep(5);
            inside.set(false);
            runs.countDown();
        };
        try (Upkeep upkeep = new Upkeep().every(SHORT, Duration.ZERO, "a", job).every(SHORT, Duration.ZERO, "b", job)) {
            upkeep.start();
            assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(overlapped).isFalse();
        assertThat(threads).containsOnly("touchpoint-upkeep");
    }

    @Test
    void closingInterruptsAJobBetweenItsBatchesWaitsForItToEndAndEndsItsTurns() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        Upkeep upkeep = new Upkeep().every(SHORT, Duration.ZERO, "paced purge", () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                Thread.sleep(60_000); // the rest between two batches
            } catch (InterruptedException e) {
                interrupted.countDown();
                busyFor(Duration.ofMillis(200)); // the batch that was under way finishes
                ended.set(true);
                throw e;
            }
        });
        upkeep.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        upkeep.close();
        assertThat(ended).as("close returns once the job has ended").isTrue();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(runs.get()).isEqualTo(1);
    }

    /** Keeps the thread busy without sleeping, which an interrupted thread could not. */
    private static void busyFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    @Test
    void jobsAreAddedBeforeTheStartWithAPositiveInterval() {
        try (Upkeep upkeep = new Upkeep()) {
            assertThatThrownBy(() -> upkeep.every(Duration.ZERO, Duration.ZERO, "purge", () -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> upkeep.every(SHORT, Duration.ofMillis(-1), "purge", () -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            upkeep.start();
            assertThatThrownBy(() -> upkeep.every(SHORT, Duration.ZERO, "late", () -> { }))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
