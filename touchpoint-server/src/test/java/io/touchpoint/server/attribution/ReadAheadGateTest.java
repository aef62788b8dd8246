package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.engine.ReportRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read ahead, and the reports asked ahead, give way to a request being answered, and not to one that waits for an
 * index read.
 */
class ReadAheadGateTest {
    private final ReadAheadGate gate = new ReadAheadGate();
    /** A thread each for the request and the read: the common pool may have one thread on a small machine. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aReadPausesWhileARequestIsAnsweredAndGoesOnAfterIt() throws Exception {
        AtomicInteger handed = new AtomicInteger();
        ReadAheadGate.Pausing rows = gate.pausing(new ReportRows() {
            @Override
            public void shape(long shapeId, List<String> groupValues) {
            }

            @Override
            public void touch(String profile, long startedAt, long id, long shapeId) {
                handed.incrementAndGet();
            }

            @Override
            public void conversion(String profile, long convertedAt, LocalDate day, String eventName, Double value,
                                   String currency) {
                handed.incrementAndGet();
            }
        });
        CountDownLatch answered = new CountDownLatch(1);
        CompletableFuture<String> request = answeredUntil(answered);
        int rowCount = 3 * ReadAheadGate.ROWS_PER_LOOK;
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
            for (int i = 0; i + 1 < rowCount; i++) rows.touch("p" + i, i, i, 1);
            rows.conversion("p1", 10, LocalDate.EPOCH, "purchase", null, null);
        }, threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handed.get() < ReadAheadGate.ROWS_PER_LOOK - 1 && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(200);
        assertThat(handed.get()).as("the read stops at its first look while the request is answered")
                .isEqualTo(ReadAheadGate.ROWS_PER_LOOK - 1);
        assertThat(read).isNotDone();
        answered.countDown();
        assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo("report");
        read.get(10, TimeUnit.SECONDS);
        assertThat(handed.get()).isEqualTo(rowCount);
        assertThat(rows.pausedMillis()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void aRequestWaitingForAnIndexDoesNotHoldTheReadBack() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> request = CompletableFuture.supplyAsync(() -> gate.answering(() -> {
            boolean busy = gate.busy();
            gate.waiting(() -> {
                waiting.countDown();
                await(release);
                return null;
            });
            return busy && gate.busy();
        }), threads);
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.busy()).as("while it waits").isFalse();
        release.countDown();
        assertThat(request.get(10, TimeUnit.SECONDS)).as("busy while answering, before and after the wait").isTrue();
        assertThat(gate.busy()).isFalse();
    }

    /** The reports asked ahead at start wait for a request being answered, and no longer than they were told. */
    @Test
    void workDoneAheadWaitsForTheRequestAnswered() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CompletableFuture<String> request = answeredUntil(answered);
        gate.quiet(50); // told to wait no longer: returns while the request is still answered
        assertThat(gate.busy()).isTrue();
        CompletableFuture<Void> ahead = CompletableFuture.runAsync(() -> gate.quiet(60_000), threads);
        Thread.sleep(200);
        assertThat(ahead).as("waits while the request is answered").isNotDone();
        answered.countDown();
        ahead.get(10, TimeUnit.SECONDS);
        assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo("report");
    }

    /** A request being answered (once this returns) until {@code answered} counts down; its answer is "report". */
    private CompletableFuture<String> answeredUntil(CountDownLatch answered) throws InterruptedException {
        CountDownLatch answering = new CountDownLatch(1);
        CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> gate.answering(() -> {
            answering.countDown();
            await(answered);
            return "report";
        }), threads);
        assertThat(answering.await(10, TimeUnit.SECONDS)).isTrue();
        return request;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
