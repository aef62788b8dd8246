package io.touchpoint.server.destinations;

import io.touchpoint.server.processing.StageRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SendingPaceTest {
    @Test
    void aSenderRestsInProportionToHowBusyTheIngestWriterIs() {
        assertThat(SendingPace.restFactor(0, Duration.ZERO)).isZero();
        assertThat(SendingPace.restFactor(0.5, Duration.ZERO)).isCloseTo(1, within(1e-9));
        assertThat(SendingPace.restFactor(0.8, Duration.ZERO)).isCloseTo(4, within(1e-9));
        assertThat(SendingPace.restFactor(0.99, Duration.ZERO)).isEqualTo(SendingPace.MAX_REST_FACTOR);
        assertThat(SendingPace.restFactor(1, Duration.ZERO)).isEqualTo(SendingPace.MAX_REST_FACTOR);
    }

    @Test
    void anOldBacklogRestsLessDownToNotAtAll() {
        Duration half = SendingPace.CATCH_UP_AGE.dividedBy(2);
        assertThat(SendingPace.restFactor(0.5, half)).isCloseTo(0.5, within(1e-9));
        assertThat(SendingPace.restFactor(1, SendingPace.CATCH_UP_AGE)).isZero();
        assertThat(SendingPace.restFactor(1, SendingPace.CATCH_UP_AGE.multipliedBy(3))).isZero();
    }

    @Test
    void whileIngestIsQuietASenderNeverRests() {
        SendingPace pace = new SendingPace(new StageRunner.Ingest(() -> false, () -> false));
        assertThat(pace.restNanos(TimeUnit.SECONDS.toNanos(1), Duration.ZERO)).isZero();
    }

    @Test
    void aWriterThatAlwaysHasRecordsMakesSendersRestTheLongest() throws InterruptedException {
        AtomicBoolean waiting = new AtomicBoolean(true);
        try (SendingPace pace = new SendingPace(new StageRunner.Ingest(waiting::get, () -> true))) {
            pace.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pace.busy() < 0.95 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(pace.busy()).isGreaterThanOrEqualTo(0.95);
            long round = TimeUnit.MILLISECONDS.toNanos(10);
            assertThat(pace.restNanos(round, Duration.ZERO)).isGreaterThan((long) (round * SendingPace.MAX_REST_FACTOR * 0.5));
            assertThat(pace.restNanos(TimeUnit.SECONDS.toNanos(5), Duration.ZERO)).isEqualTo(SendingPace.MAX_REST_NANOS);

            waiting.set(false);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pace.busy() > 0.05 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(pace.restNanos(round, Duration.ZERO)).isLessThan(round / 10);
        }
    }

    @Test
    void stepsAsideOnlyWhileRecordsWaitAndOnlyBriefly() {
        AtomicInteger asked = new AtomicInteger();
        new SendingPace(new StageRunner.Ingest(() -> asked.incrementAndGet() < 0, () -> true)).stepAside();
        assertThat(asked).hasValue(1);

        asked.set(0);
        new SendingPace(new StageRunner.Ingest(() -> asked.incrementAndGet() > 0, () -> true)).stepAside();
        assertThat(asked).hasValue(SendingPace.MAX_YIELDS);

        asked.set(0);
        new SendingPace(new StageRunner.Ingest(() -> asked.incrementAndGet() < 3, () -> true)).stepAside();
        assertThat(asked).as("steps aside until the records are taken").hasValue(3);
    }
}
