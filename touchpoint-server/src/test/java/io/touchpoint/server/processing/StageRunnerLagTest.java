package io.touchpoint.server.processing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.touchpoint.core.stage.SequenceStage;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lag a stage reports on /metrics follows what arrived while the stage could not take a step. */
class StageRunnerLagTest {

    /** A stage whose step, once entered, waits until released: held behind the write lock, say. */
    private static final class HeldStage implements SequenceStage {
        final AtomicLong cursor = new AtomicLong();
        final AtomicLong upstream = new AtomicLong();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "identity";
        }

        @Override
        public int quietBatch() {
            return 100;
        }

        @Override
        public int step(int limit) {
            long from = cursor.get(), upTo = upstream.get();
            if (from >= upTo) return 0;
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long to = Math.min(upstream.get(), from + limit);
            cursor.set(to);
            return (int) (to - from);
        }

        @Override
        public long cursor() {
            return cursor.get();
        }

        @Override
        public long upstream() {
            return upstream.get();
        }

        @Override
        public OptionalLong next() {
            return OptionalLong.empty();
        }

        @Override
        public boolean processOne(long seq) {
            return false;
        }
    }

    @Test
    void aStageHeldInAStepReportsWhatArrivedMeanwhile() throws InterruptedException {
        HeldStage stage = new HeldStage();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        StageRunner runner = StageRunner.of(stage, metrics, new StageRunner.Ingest(() -> false, () -> false))
                .lag("test lag").build();
        runner.start();
        try {
            stage.upstream.set(1);
            runner.wake();
            assertTrue(stage.entered.await(10, TimeUnit.SECONDS), "the stage took a step");
            stage.upstream.set(60_001); // a burst arrives while the step is held
            Thread.sleep(StageRunner.LAG_FRESH_MILLIS + 200);
            assertEquals(60_001, runner.lag(), "the lag as read now, not as the held stage last saw it");
            assertEquals(60_001.0, metrics.get("touchpoint.identity.lag").gauge().value());
        } finally {
            stage.release.countDown();
            runner.close();
        }
        assertEquals(0, runner.lag());
    }
}
