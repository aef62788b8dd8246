package io.touchpoint.server.ops;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stopping a background thread at shutdown without closing the store under its work: the thread's task gets a few
 * seconds, and the shutdown goes on without it after that rather than hanging.
 */
public final class Stopping {
    /** How long a stop waits for a task, each time it waits. */
    public static final Duration WAIT = Duration.ofSeconds(5);

    private Stopping() {
    }

    /** Lets a running task end for {@link #WAIT}, then interrupts it and waits as long again. */
    public static void stop(ExecutorService executor, Logger log, String what) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        await(executor, log, what);
    }

    /** Waits up to {@link #WAIT} for an executor already shut down; logs when its task outlived it. */
    public static void await(ExecutorService executor, Logger log, String what) {
        try {
            if (!executor.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not end within {} s of being interrupted", what, WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
