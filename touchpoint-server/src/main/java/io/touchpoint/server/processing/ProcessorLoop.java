package io.touchpoint.server.processing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One stage of the processor (ARCHITECTURE "processor"): a thread that calls {@code step} — which commits one
 * batch and its cursor in one transaction and answers how many items it handled — until it is caught up, then
 * sleeps until {@link #wake()} or a short poll. While ingest has records waiting it steps aside (up to
 * {@value #MAX_YIELDS} times {@value #YIELD_MILLIS} ms in a row), so that on SQLite, where both share one write
 * lock, acknowledging events comes first. A failing step is retried after a second and marks the stage
 * unhealthy until a step succeeds. {@link #close()} drains: what was committed before it is handled when it returns.
 */
public final class ProcessorLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorLoop.class);
    static final int MAX_YIELDS = 25;
    private static final long YIELD_MILLIS = 2;
    private static final long IDLE_POLL_MILLIS = 100;
    private static final long RETRY_MILLIS = 1000;

    /** What the loop drives; {@code afterStep} runs after every successful step (to refresh lag gauges). */
    public interface Stage {
        int step();

        default void afterStep(int handled) {
        }
    }

    private final String name;
    private final Stage stage;
    private final BooleanSupplier ingestBusy;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean stopping;
    private volatile boolean healthy = true;

    /**
     * @param name       the thread's name and the stage's name in logs
     * @param ingestBusy true while ingest has records waiting for the writer
     */
    public ProcessorLoop(String name, Stage stage, BooleanSupplier ingestBusy) {
        this.name = name;
        this.stage = stage;
        this.ingestBusy = ingestBusy;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    public boolean healthy() {
        return healthy;
    }

    /** Tells the loop there may be new work. */
    public void wake() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        int yields = 0;
        while (!stopping) {
            if (yields < MAX_YIELDS && ingestBusy.getAsBoolean()) {
                yields++;
                pause(YIELD_MILLIS);
                continue;
            }
            yields = 0;
            int n;
            try {
                n = stage.step();
                healthy = true;
            } catch (RuntimeException e) {
                if (stopping) break;
                healthy = false;
                LOG.error("{} failed; retrying in a second", name, e);
                pause(RETRY_MILLIS);
                continue;
            }
            stage.afterStep(n);
            if (n == 0 && !idle()) return;
        }
    }

    /** Waits for a wake-up or the poll interval; false when interrupted. */
    private boolean idle() {
        lock.lock();
        try {
            if (!stopping) work.await(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop, then handles whatever work is left; a failure here is logged, the cursor resumes on start. */
    @Override
    public void close() {
        stopping = true;
        wake();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int n;
            while ((n = stage.step()) > 0) stage.afterStep(n);
            stage.afterStep(0);
        } catch (RuntimeException e) {
            LOG.warn("{} could not drain on shutdown; it resumes from its cursor on start: {}", name, e.getMessage());
        }
    }
}
