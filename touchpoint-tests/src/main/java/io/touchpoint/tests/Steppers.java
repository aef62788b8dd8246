package io.touchpoint.tests;

import io.touchpoint.core.stage.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Stages stepped on threads of their own, as the runners of several processes would, until closed; for the tests of
 * stages that share their work by log partition.
 */
public final class Steppers implements AutoCloseable {
    private final int batch;
    private final Predicate<RuntimeException> retried;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /**
     * @param batch   the limit of every step
     * @param retried failures the runner would retry (a step whose position kept moving under it), not recorded
     */
    public Steppers(int batch, Predicate<RuntimeException> retried) {
        this.batch = batch;
        this.retried = retried;
    }

    public void run(Stage stage) {
        threads.add(Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    if (stage.step(batch) == 0) Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!retried.test(e)) failures.add(stage.name() + ": " + e);
                }
            }
        }));
    }

    /** The steps that failed, other than those the runner would retry. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join();
    }

    /** Steps the stages in turn on this thread until none has anything left. */
    public static void drain(int batch, Stage... stages) {
        boolean more = true;
        while (more) {
            more = false;
            for (Stage s : stages) more |= s.step(batch) > 0;
        }
    }

    /**
     * A stage that counts what its committed steps handled, and once {@link #rest} is set rests between its steps, as a
     * process losing its partitions in a rebalance does, so that it cannot finish a partition before its new owner
     * takes a step.
     */
    public static final class Counted implements Stage {
        private final Stage stage;
        public final AtomicLong handled = new AtomicLong();
        public volatile boolean rest;

        public Counted(Stage stage) {
            this.stage = stage;
        }

        @Override
        public String name() {
            return stage.name();
        }

        @Override
        public int step(int limit) {
            int n = stage.step(limit);
            handled.addAndGet(n);
            if (rest) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return n;
        }

        @Override
        public int quietBatch() {
            return stage.quietBatch();
        }
    }
}
