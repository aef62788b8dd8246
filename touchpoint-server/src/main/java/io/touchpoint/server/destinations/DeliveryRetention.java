package io.touchpoint.server.destinations;

import io.touchpoint.core.store.DestinationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps finished deliveries (sent, skipped, dead) for {@code delivery.retention-days}: without it every conversion
 * would keep an outbox entry, its attempts and a copy of its enriched body per destination for good. A background
 * thread purges soon after the start and then every {@link #INTERVAL}, in small batches with a rest between them, so
 * the writes that acknowledgements wait for are never held up for long. A purge that fails is logged and tried again at
 * the next turn. Any process may do it; several at once delete nothing twice.
 */
public final class DeliveryRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetention.class);
    static final Duration INTERVAL = Duration.ofHours(1);
    static final Duration FIRST = Duration.ofMinutes(2);
    /** Small enough that one batch holds the write lock for a few milliseconds, so acknowledgements hardly wait. */
    static final int BATCH = 500;
    /** The least rest between batches; after a slow one, twice as long as it took, so a purge holds the lock a third of the time at most. */
    private static final Duration PAUSE = Duration.ofMillis(10);
    private final DestinationStore store;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService purger;

    public DeliveryRetention(DestinationStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("delivery-retention")
                .unstarted(r));
    }

    public void start() {
        purger.scheduleWithFixedDelay(this::purgeQuietly, FIRST.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Removes every finished delivery last moved before the retention; how many went. */
    public int purge() throws InterruptedException {
        Instant before = clock.instant().minus(retention);
        int total = 0;
        int n;
        do {
            long start = System.nanoTime();
            n = store.purgeFinished(before, BATCH);
            total += n;
            if (n == BATCH) Thread.sleep(Math.max(PAUSE.toMillis(), 2 * (System.nanoTime() - start) / 1_000_000));
        } while (n == BATCH);
        if (total > 0) LOG.info("deliveries: {} finished entries older than {} days purged", total, retention.toDays());
        return total;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("delivery purge failed; it is tried again in {} min: {}", INTERVAL.toMinutes(), e.toString());
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
    }
}
