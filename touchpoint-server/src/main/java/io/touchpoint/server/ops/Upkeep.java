package io.touchpoint.server.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's periodic upkeep: the purges of what has outlived its retention (expired dashboard sessions, old audit
 * entries, finished deliveries). They are rare and each short or paced, so one background thread runs them in turn.
 * A run that fails is logged and the job runs again at its next turn; a job's first run waits a while, so that a start
 * is not slowed by it.
 */
public final class Upkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);

    /** One run of a job. It may sleep between batches; closing the upkeep interrupts it. */
    @FunctionalInterface
    public interface Job {
        void run() throws InterruptedException;
    }

    private record Scheduled(String name, Duration first, Duration interval, Job job) {
    }

    private final List<Scheduled> jobs = new ArrayList<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("touchpoint-upkeep").unstarted(r));
    private boolean started;

    /**
     * Adds a job, run {@code first} after {@link #start} and then {@code interval} after each run ends.
     *
     * @param name what the job does, for the log ("audit log purge")
     */
    public synchronized Upkeep every(Duration interval, Duration first, String name, Job job) {
        if (started) throw new IllegalStateException("jobs are added before the upkeep starts");
        if (interval.isNegative() || interval.isZero() || first.isNegative()) {
            throw new IllegalArgumentException("a job's interval must be positive and its first delay not negative");
        }
        jobs.add(new Scheduled(Objects.requireNonNull(name), first, interval, Objects.requireNonNull(job)));
        return this;
    }

    public synchronized void start() {
        if (started) return;
        started = true;
        for (Scheduled s : jobs) {
            thread.scheduleWithFixedDelay(() -> runQuietly(s), s.first().toMillis(), s.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A failure must not end the job: an exception out of a scheduled task would cancel its later runs. */
    private static void runQuietly(Scheduled s) {
        try {
            s.job().run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Duration next = s.interval();
            String in = next.toMinutes() > 0 ? next.toMinutes() + " min" : next.toMillis() + " ms";
            LOG.warn("{} failed; it runs again in {}: {}", s.name(), in, e.toString());
        }
    }

    /**
     * Stops the thread, interrupting a job that is running (a purge interrupted between batches loses nothing), and
     * waits a few seconds for it to end, so that the store is not closed under a batch in its transaction.
     */
    @Override
    public void close() {
        thread.shutdownNow();
        Stopping.await(thread, LOG, "an upkeep job");
    }
}
