package io.touchpoint.server.processing;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No single event halts a stage: the loop finds the event that fails its steps and sets it aside. */
class SetAsideLoopTest {

    /** Events 1..total after a cursor; a step fails when it would take a poisoned one. */
    private static class Events implements StepLoop.Steps {
        final int total;
        final Set<Integer> poisoned;
        final RuntimeException failure;
        volatile int cursor;
        final List<Integer> setAside = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> triesAtSetAside = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger refreshesAfterFailure = new AtomicInteger();

        Events(int total, Set<Integer> poisoned, RuntimeException failure) {
            this.total = total;
            this.poisoned = poisoned;
            this.failure = failure;
        }

        @Override
        public synchronized int step(int limit) {
            int upTo = Math.min(total, cursor + limit);
            for (int e = cursor + 1; e <= upTo; e++) {
                if (poisoned.contains(e)) {
                    failures.incrementAndGet();
                    throw failure;
                }
            }
            int n = upTo - cursor;
            cursor = upTo;
            return n;
        }

        @Override
        public void afterFailure() {
            refreshesAfterFailure.incrementAndGet();
        }

        @Override
        public synchronized boolean setAsideNext(String error, int tries) {
            if (cursor >= total) return false;
            cursor++;
            setAside.add(cursor);
            triesAtSetAside.add(tries);
            return true;
        }
    }

    private static void await(BooleanSupplier done, long seconds) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean() && System.nanoTime() < giveUp) Thread.sleep(10);
    }

    @Test
    void aPoisonedEventInALargeBatchIsSetAsideAfterThreeTriesAloneAndTheRestIsHandled() throws InterruptedException {
        Events stage = new Events(1000, Set.of(613), new IllegalStateException("invalid byte sequence (expected by the test)"));
        try (StepLoop loop = new StepLoop("test-loop", stage, 500, () -> false, () -> false)) {
            loop.start();
            await(() -> stage.cursor == 1000, 30);
            assertEquals(1000, stage.cursor, "the stage went past the poisoned event");
            assertEquals(List.of(613), stage.setAside);
            assertEquals(List.of(StepLoop.SET_ASIDE_TRIES), stage.triesAtSetAside);
            assertTrue(stage.refreshesAfterFailure.get() >= StepLoop.SET_ASIDE_TRIES, "the gauges refresh while it fails");
            await(loop::healthy, 5);
            assertTrue(loop.healthy());
        }
    }

    @Test
    void twoPoisonedEventsInARowAreBothSetAside() throws InterruptedException {
        Events stage = new Events(40, Set.of(7, 8), new IllegalArgumentException("unreadable body (expected by the test)"));
        try (StepLoop loop = new StepLoop("test-loop", stage, 16, () -> false, () -> false)) {
            loop.start();
            await(() -> stage.cursor == 40, 30);
            assertEquals(List.of(7, 8), stage.setAside);
        }
    }

    @Test
    void aStoreThatIsUnavailableSetsNothingAside() throws InterruptedException {
        Events stage = new Events(10, Set.of(1), new RuntimeException("commit failed",
                new SQLTransientConnectionException("connection refused (expected by the test)", "08001")));
        try (StepLoop loop = new StepLoop("test-loop", stage, 5, () -> false, () -> false)) {
            loop.start();
            await(() -> stage.failures.get() >= StepLoop.SET_ASIDE_TRIES + 2, 30);
            assertTrue(stage.failures.get() >= StepLoop.SET_ASIDE_TRIES + 2);
            assertTrue(stage.setAside.isEmpty(), "an outage is not the event's fault");
            assertFalse(loop.healthy());
        }
    }

    @Test
    void aFaultOfEveryEventSetsAsideOnlyAFewInARow() throws InterruptedException {
        Set<Integer> all = new java.util.HashSet<>();
        for (int i = 1; i <= 100; i++) all.add(i);
        Events stage = new Events(100, all, new IllegalStateException("a bug in the stage (expected by the test)"));
        try (StepLoop loop = new StepLoop("test-loop", stage, 10, () -> false, () -> false)) {
            loop.start();
            int cap = Isolation.MAX_SET_ASIDE_IN_A_ROW;
            await(() -> stage.setAside.size() >= cap, 60);
            int failuresThen = stage.failures.get();
            // long enough for several more rounds of tries alone, each of which would otherwise set one more aside
            await(() -> stage.failures.get() >= failuresThen + StepLoop.SET_ASIDE_TRIES + 3, 30);
            assertEquals(cap, stage.setAside.size(), "then the stage stays stopped, unhealthy, instead of eating its backlog");
            assertFalse(loop.healthy());
        }
    }

    @Test
    void failuresAreToldApart() {
        assertTrue(StoreFailures.unavailable(new RuntimeException(new SQLException("no connection", "08006"))));
        assertTrue(StoreFailures.unavailable(new RuntimeException(new SQLException("[SQLITE_FULL] database or disk is full"))));
        assertTrue(StoreFailures.unavailable(new RuntimeException(new SQLException("disk full", "53100"))));
        assertFalse(StoreFailures.unavailable(new RuntimeException(
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"))));
        assertFalse(StoreFailures.unavailable(new IllegalArgumentException("unreadable event body")));
    }
}
