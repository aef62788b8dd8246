package io.touchpoint.server.ops;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class StoppingTest {
    @Test
    void aRunningTaskIsLetFinishUninterrupted() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        executor.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(300);
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Stopping.stop(executor, LoggerFactory.getLogger(StoppingTest.class), "a test task");
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
        assertThat(executor.isTerminated()).isTrue();
    }

    @Test
    void aTaskOutlastingTheWaitIsInterruptedAndTheStopReturns() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        executor.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        Stopping.stop(executor, LoggerFactory.getLogger(StoppingTest.class), "a test task");
        assertThat(interrupted).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(2 * Stopping.WAIT.toNanos());
    }
}
