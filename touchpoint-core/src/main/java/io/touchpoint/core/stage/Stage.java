package io.touchpoint.core.stage;

/**
 * A processing stage: work that follows what ingest (or an earlier stage) committed, taken in steps. Each step
 * commits its results together with the stage's progress in one transaction, so a crash leaves all of a step or
 * none of it, and the stage resumes where its last commit left it. A stage holds no thread: a runner steps it.
 */
public interface Stage {
    /** The stage's name in logs and on /metrics, e.g. {@code identity}. */
    String name();

    /** Handles up to {@code limit} items in one transaction; answers how many it handled (0 when caught up). */
    int step(int limit);

    /**
     * The most items a step should take while nothing else waits for the store (ingest quiet): what a step's writes
     * cost, per page or per row, decides it, and the store knows which.
     */
    int quietBatch();
}
