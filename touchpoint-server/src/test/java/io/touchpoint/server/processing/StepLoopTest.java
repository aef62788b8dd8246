package io.touchpoint.server.processing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepLoopTest {

    /** A stage over a counter of pending items, handling up to 3 per step. */
    private static class Pending implements StepLoop.Steps {
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger handled = new AtomicInteger();
        final AtomicInteger steps = new AtomicInteger();

        @Override
        public int step(int limit) {
            steps.incrementAndGet();
            int n = Math.min(3, pending.get());
            pending.addAndGet(-n);
            return n;
        }

        @Override
        public void afterStep(int n) {
            handled.addAndGet(n);
        }
    }

    @Test
    void closeDrainsWhatIsLeftEvenWhileIngestStaysBusy() {
        Pending stage = new Pending();
        StepLoop loop = new StepLoop("test-loop", stage, 3, () -> true, () -> true);
        loop.start();
        stage.pending.set(10);
        loop.close();
        assertEquals(0, stage.pending.get());
        assertEquals(10, stage.handled.get());
    }

    @Test
    void wakeHandsNewWorkToTheRunningLoop() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Pending stage = new Pending() {
            @Override
            public void afterStep(int n) {
                super.afterStep(n);
                if (handled.get() == 7) done.countDown();
            }
        };
        try (StepLoop loop = new StepLoop("test-loop", stage, 3, () -> false, () -> false)) {
            loop.start();
            stage.pending.set(7);
            loop.wake();
            assertTrue(done.await(30, TimeUnit.SECONDS), "the loop handled the new work");
        }
    }

    @Test
    void aFailingStepMarksTheStageUnhealthyUntilAStepSucceeds() throws InterruptedException {
        AtomicBoolean failing = new AtomicBoolean(true);
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch recovered = new CountDownLatch(1);
        StepLoop.Steps stage = new StepLoop.Steps() {
            @Override
            public int step(int limit) {
                if (failing.get()) {
                    failed.countDown();
                    throw new IllegalStateException("store unavailable (expected by the test)");
                }
                return 0;
            }

            @Override
            public void afterStep(int n) {
                recovered.countDown();
            }
        };
        try (StepLoop loop = new StepLoop("test-loop", stage, 3, () -> false, () -> false)) {
            loop.start();
            assertTrue(failed.await(30, TimeUnit.SECONDS));
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (loop.healthy() && System.nanoTime() < giveUp) Thread.onSpinWait(); // set just after the throw
            assertFalse(loop.healthy());
            failing.set(false);
            assertTrue(recovered.await(30, TimeUnit.SECONDS), "the loop retried after the failure");
            assertTrue(loop.healthy());
        }
    }

    @Test
    void besideActiveIngestEachStepIsFollowedByARestAsLongAsItWhileQuietNone() {
        long[] now = {0};
        boolean[] active = {true};
        int[] left = {10_000};
        StepLoop.Steps stage = limit -> {
            int n = Math.min(limit, left[0]);
            left[0] -= n;
            now[0] += n * TimeUnit.MICROSECONDS.toNanos(300);
            return n;
        };
        List<Long> rests = new ArrayList<>();
        StepLoop loop = new StepLoop("test-loop", stage, 500, () -> false, () -> active[0], () -> 0, () -> now[0], rests::add);
        long before = now[0];
        int n = loop.stepOnce();
        assertEquals(List.of(now[0] - before), rests, "one rest, as long as the step of " + n + " items");
        for (int i = 0; i < 20; i++) loop.stepOnce();
        assertEquals(21, rests.size());
        assertTrue(rests.stream().allMatch(r -> r > 0));

        active[0] = false; // quiet: whole batches back to back
        loop.stepOnce();
        assertEquals(21, rests.size());
        active[0] = true;
        left[0] = 0; // caught up: nothing to rest from (the loop waits for work instead)
        assertEquals(0, loop.stepOnce());
        assertEquals(21, rests.size());
    }

    @Test
    void whileIngestIsActiveABatchIsSizedToTheStepBudgetAndWhileQuietItIsWhole() {
        long[] now = {0};
        boolean[] active = {true};
        // each item takes 2 ms of (fake) time, so about ACTIVE_STEP_MILLIS / 2 items fit a step
        StepLoop.Steps stage = limit -> {
            now[0] += limit * TimeUnit.MILLISECONDS.toNanos(2);
            return limit;
        };
        StepLoop loop = new StepLoop("test-loop", stage, 500, () -> false, () -> active[0], () -> 0, () -> now[0], nanos -> {
        });
        assertEquals(StepLoop.MIN_ACTIVE_BATCH, loop.nextLimit(), "a first active step is small: no pace is known yet");
        for (int i = 0; i < 30; i++) loop.stepOnce();
        assertEquals(StepLoop.MIN_ACTIVE_BATCH, loop.nextLimit(), "2 ms per item: the floor of 10 items");
        active[0] = false;
        assertEquals(500, loop.nextLimit());

        // a faster stage: 50 µs per item → 200 items in 10 ms
        StepLoop.Steps fast = limit -> {
            now[0] += limit * TimeUnit.MICROSECONDS.toNanos(50);
            return limit;
        };
        StepLoop fastLoop = new StepLoop("test-loop", fast, 500, () -> false, () -> active[0], () -> 0, () -> now[0], nanos -> {
        });
        active[0] = true;
        for (int i = 0; i < 40; i++) fastLoop.stepOnce();
        int limit = fastLoop.nextLimit();
        assertTrue(limit >= 190 && limit <= 200, "about 200 items per 10 ms step, was " + limit);
    }
    @Test
    void aStageBehindForLongerThanTheGraceTakesStepsGrowingWithTheSquareOfTheTimeUpToACap() {
        long[] now = {0};
        long[] lag = {0};
        // 50 µs per item: about 200 items fit the active step budget
        StepLoop.Steps stage = limit -> {
            now[0] += limit * TimeUnit.MICROSECONDS.toNanos(50);
            return limit;
        };
        StepLoop loop = new StepLoop("test-loop", stage, 3_000, () -> false, () -> true, () -> lag[0], () -> now[0], nanos -> {
        });
        for (int i = 0; i < 40; i++) loop.stepOnce();
        int caughtUp = loop.nextLimit();
        assertTrue(caughtUp >= 190 && caughtUp <= 200, "about 200 items per step, was " + caughtUp);

        lag[0] = StepLoop.CATCH_UP_LAG * 4; // a burst left a backlog
        long grace = StepLoop.BEHIND_GRACE.toNanos();
        now[0] += grace / 2;
        assertEquals(caughtUp, loop.nextLimit(), "within the grace the budget stays");
        now[0] += grace; // behind for one and a half graces
        int later = loop.nextLimit();
        assertTrue(later >= 2.25 * caughtUp - 3 && later <= 2.25 * caughtUp + 3, "2.25 times the budget, was " + later);
        now[0] += grace * 10;
        int most = (int) (StepLoop.MAX_BEHIND_GROWTH * caughtUp);
        int longBehind = loop.nextLimit();
        assertTrue(longBehind >= most - 4 && longBehind <= most + 4, "at most " + most + ", was " + longBehind);

        lag[0] = StepLoop.CAUGHT_UP_LAG;
        assertEquals(caughtUp, loop.nextLimit(), "caught up: the budget is back");
        lag[0] = StepLoop.CATCH_UP_LAG;
        now[0] += grace / 2;
        assertEquals(caughtUp, loop.nextLimit(), "and the grace starts again");
    }

    @Test
    void aStageBehindForLongerThanTheGraceNoLongerStepsAsideForWaitingIngest() throws InterruptedException {
        for (long behind : new long[]{0, 2}) {
            AtomicInteger asked = new AtomicInteger();
            CountDownLatch stepped = new CountDownLatch(20);
            AtomicInteger left = new AtomicInteger(20);
            StepLoop.Steps stage = limit -> {
                stepped.countDown();
                return left.getAndDecrement() > 0 ? 1 : 0;
            };
            java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
            try (StepLoop loop = new StepLoop("test-loop", stage, 10, () -> {
                asked.incrementAndGet();
                return true; // ingest always has records waiting
            }, () -> true, () -> StepLoop.CATCH_UP_LAG, now::get, nanos -> {
            })) {
                now.set(behind * StepLoop.BEHIND_GRACE.toNanos()); // behind since the loop was made
                loop.start();
                assertTrue(stepped.await(30, TimeUnit.SECONDS));
            }
            if (behind == 0) assertTrue(asked.get() >= 20, "within the grace it steps aside before each step");
            else assertEquals(0, asked.get(), "behind for longer it does not step aside");
        }
    }

    @Test
    void aStageBehindForLongerThanTheGraceStepsWithoutWaitingForTheTurn() throws Exception {
        java.util.concurrent.locks.ReentrantLock turn = new java.util.concurrent.locks.ReentrantLock();
        long[] now = {0};
        StepLoop loop = new StepLoop("test-loop", limit -> 1, 5, () -> false, () -> true, turn, () -> StepLoop.CATCH_UP_LAG,
                () -> now[0], nanos -> {
        });
        turn.lock(); // another stage's turn, held through its rest
        try {
            Thread within = new Thread(loop::stepOnce);
            within.start();
            within.join(200);
            assertTrue(within.isAlive(), "within the grace the step waits for the turn");
            now[0] = 2 * StepLoop.BEHIND_GRACE.toNanos();
            AtomicInteger handled = new AtomicInteger();
            Thread behind = new Thread(() -> handled.set(loop.stepOnce()));
            behind.start();
            behind.join(5_000);
            assertEquals(1, handled.get(), "behind for longer it steps while the other stage holds the turn");
        } finally {
            turn.unlock();
        }
    }

    @Test
    void aLaggingStageRestsLessAndFromTheCatchUpLagNotAtAll() {
        long[] now = {0};
        long[] lag = {0};
        StepLoop.Steps stage = limit -> {
            now[0] += TimeUnit.MILLISECONDS.toNanos(10);
            return limit;
        };
        List<Long> rests = new ArrayList<>();
        StepLoop loop = new StepLoop("test-loop", stage, 500, () -> false, () -> true, () -> lag[0], () -> now[0], rests::add);
        loop.stepOnce();
        lag[0] = StepLoop.CATCH_UP_LAG / 2;
        loop.stepOnce();
        lag[0] = StepLoop.CATCH_UP_LAG * 3;
        loop.stepOnce();
        long step = TimeUnit.MILLISECONDS.toNanos(10);
        assertEquals(List.of(step, step / 2, 0L), rests);
    }

    @Test
    void besideActiveIngestAStageStepsOnlyInTheTurnAndWhileQuietWithoutIt() throws Exception {
        java.util.concurrent.locks.ReentrantLock turn = new java.util.concurrent.locks.ReentrantLock();
        java.util.concurrent.atomic.AtomicBoolean heldInStep = new java.util.concurrent.atomic.AtomicBoolean();
        StepLoop.Steps stage = limit -> {
            heldInStep.set(turn.isHeldByCurrentThread());
            return 0; // nothing handled: no rest to sleep through
        };
        boolean[] active = {true};
        StepLoop loop = new StepLoop("test-loop", stage, 5, () -> false, () -> active[0], turn, () -> 0, null, "test");
        turn.lock(); // another stage's turn
        Thread stepping = new Thread(loop::stepOnce);
        try {
            stepping.start();
            stepping.join(200);
            assertTrue(stepping.isAlive(), "the step waits while another stage holds the turn");
        } finally {
            turn.unlock();
        }
        stepping.join(5_000);
        assertTrue(!stepping.isAlive() && heldInStep.get(), "then it steps, holding the turn");

        active[0] = false;
        turn.lock();
        try {
            Thread quiet = new Thread(loop::stepOnce);
            quiet.start();
            quiet.join(5_000);
            assertTrue(!quiet.isAlive() && !heldInStep.get(), "while ingest is quiet a stage steps without the turn");
        } finally {
            turn.unlock();
        }
    }
}
