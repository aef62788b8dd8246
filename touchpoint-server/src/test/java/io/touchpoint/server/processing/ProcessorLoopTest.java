package io.touchpoint.server.processing;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorLoopTest {

    /** A stage over a counter of pending items, handling up to 3 per step. */
    private static class Pending implements ProcessorLoop.Stage {
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger handled = new AtomicInteger();
        final AtomicInteger steps = new AtomicInteger();

        @Override
        public int step() {
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
        ProcessorLoop loop = new ProcessorLoop("test-loop", stage, () -> true);
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
        try (ProcessorLoop loop = new ProcessorLoop("test-loop", stage, () -> false)) {
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
        ProcessorLoop.Stage stage = new ProcessorLoop.Stage() {
            @Override
            public int step() {
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
        try (ProcessorLoop loop = new ProcessorLoop("test-loop", stage, () -> false)) {
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
}
