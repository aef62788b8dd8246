package io.touchpoint.server.processing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.touchpoint.core.store.RepeatedFailure;
import io.touchpoint.server.telemetry.StorageFull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The thread that steps one stage ({@link StageRunner}): it calls {@code step} — which commits one batch and its
 * progress in one transaction and answers how many items it handled — until the stage is caught up, then sleeps until
 * {@link #wake()} or a short poll. Acknowledging events comes first, because the stages and the ingest writer share
 * the machine's cores and, on SQLite, one write lock: while ingest has records waiting the loop steps aside (up to
 * {@value #MAX_YIELDS} times {@value #YIELD_MILLIS} ms in a row), and while ingest is active at all it sizes each
 * batch so that a step takes about {@value #ACTIVE_STEP_MILLIS} ms (from the time per item of its recent steps)
 * instead of taking its full batch, which would hold the lock for tens of milliseconds, and rests as long as each
 * step took, so that a backlog left by a burst is worked off beside ingest rather than ahead of it. The stages take
 * turns at that (one {@code turn} lock held through step and rest), so that together, not each, they use about half of
 * one core beside active ingest; a stage whose lag nears {@value #CATCH_UP_LAG} events rests less, down to not at all.
 * That alone does not bound the lag under sustained ingest, since short steps, stepping aside and waiting for the turn
 * cap a stage's pace below a steady ingest rate. So a stage that has been behind (more than {@value #CAUGHT_UP_LAG}
 * events) for longer than {@link #BEHIND_GRACE} stops stepping aside, steps outside the turn (where the other stages'
 * rests would hold it up), and its step budget grows with the square of the time behind in units of that grace, up to
 * {@link #MAX_BEHIND_GROWTH} times (larger steps hold SQLite's write lock longer, and ingest waits for it). A burst
 * shorter than the grace is still worked off after it. A failing step
 * marks the stage unhealthy until a step succeeds, and the loop looks for the event that fails it
 * ({@link Isolation}): each failure halves the next step, down to one event, and an event that fails
 * {@value #SET_ASIDE_TRIES} times alone, a second apart, is set aside ({@link Steps#setAsideNext}) so that one event
 * never halts the stage. A failure that says the store itself is unavailable ({@link StoreFailures}) counts against
 * no event: it is retried after a second at the same size. {@link #close()} drains: what was committed before it is
 * handled when it returns.
 */
final class StepLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepLoop.class);
    static final int MAX_YIELDS = 5;
    private static final long YIELD_MILLIS = 2;
    /** A step's target while ingest is active. */
    static final long ACTIVE_STEP_MILLIS = 10;
    /** The smallest batch while ingest is active: below it a step's fixed cost (cursor, commit) dominates. */
    static final int MIN_ACTIVE_BATCH = 10;
    /** The lag at which a stage stops resting beside active ingest; below it, it rests in proportion. */
    static final long CATCH_UP_LAG = 50_000;
    /** A lag this small counts as caught up. */
    static final long CAUGHT_UP_LAG = 1_000;
    /** How long a stage may stay behind beside active ingest before its steps grow. */
    static final Duration BEHIND_GRACE = Duration.ofSeconds(30);
    /** The most a stage behind multiplies its step budget by: longer steps hold SQLite's write lock as long. */
    static final double MAX_BEHIND_GROWTH = 4;
    private static final long IDLE_POLL_MILLIS = 100;
    private static final long RETRY_MILLIS = 1000;

    /** Tries an event gets alone before it is set aside. */
    static final int SET_ASIDE_TRIES = 3;

    /** What the loop drives; {@code afterStep} runs after every successful step (to refresh lag gauges). */
    interface Steps {
        /** Handles up to {@code limit} items in one transaction; answers how many it handled. */
        int step(int limit);

        default void afterStep(int handled) {
        }

        /** Runs after every failed step: the lag gauges must move while the stage is stuck, too. */
        default void afterFailure() {
        }

        /**
         * Records the event the stage takes next as set aside, with the error and tries, and moves the stage's cursor
         * past it, in one transaction; false when the stage cannot (or there is no such event).
         */
        default boolean setAsideNext(String error, int tries) {
            return false;
        }
    }

    private final String name;
    private final Steps stage;
    private final int batch;
    private final BooleanSupplier ingestWaiting;
    private final BooleanSupplier ingestActive;
    private final Lock turn;
    private final LongSupplier lag;
    private final LongSupplier nanoTime;
    /** Sleeps for the given nanoseconds (a test records them instead). */
    private final LongConsumer rest;
    /** Recent steps' wall time per item (moving average); starts pessimistic, so a first active step is small. */
    private double nanosPerItem = TimeUnit.MILLISECONDS.toNanos(1);
    /** When the stage last had at most {@link #CAUGHT_UP_LAG} events to handle; only the loop's thread uses it. */
    private long caughtUpAt;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean stopping;
    private volatile boolean healthy = true;
    /** A full disk fails every step until space is freed: reported once a minute, not every second. */
    private final RepeatedFailure diskFull = new RepeatedFailure();
    private final Isolation isolation = new Isolation();
    /** Steps that handled something, and failed steps: {@code touchpoint_stage_step_seconds{stage,outcome}}; or null. */
    private final Timer stepsDone;
    private final Timer stepsFailed;

    /**
     * @param name          the thread's name and the stage's name in logs
     * @param batch         the most items per step, taken while ingest is quiet
     * @param ingestWaiting true while ingest has records waiting for the writer
     * @param ingestActive  true while ingest is active (records waiting or arriving)
     */
    StepLoop(String name, Steps stage, int batch, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive) {
        this(name, stage, batch, ingestWaiting, ingestActive, new ReentrantLock(), () -> 0, System::nanoTime,
                StepLoop::sleepNanos, null, null);
    }

    /**
     * As above, timing each step in {@code touchpoint_stage_step_seconds{stage,outcome}}: {@code outcome="done"} for a
     * step that handled at least one item (an empty step, the poll of a stage that is caught up, is not counted) and
     * {@code "failed"} for one that failed.
     *
     * @param turn     held through each step and its rest beside active ingest, shared by all the stages
     * @param lag      the stage's lag in events
     * @param metrics  where the step timer goes, or null for none
     * @param stageTag the stage's name on /metrics: identity, attribution or delivery
     */
    StepLoop(String name, Steps stage, int batch, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive,
             Lock turn, LongSupplier lag, MeterRegistry metrics, String stageTag) {
        this(name, stage, batch, ingestWaiting, ingestActive, turn, lag, System::nanoTime, StepLoop::sleepNanos,
                metrics, stageTag);
    }

    StepLoop(String name, Steps stage, int batch, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive,
             LongSupplier lag, LongSupplier nanoTime, LongConsumer rest) {
        this(name, stage, batch, ingestWaiting, ingestActive, new ReentrantLock(), lag, nanoTime, rest);
    }

    StepLoop(String name, Steps stage, int batch, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive,
             Lock turn, LongSupplier lag, LongSupplier nanoTime, LongConsumer rest) {
        this(name, stage, batch, ingestWaiting, ingestActive, turn, lag, nanoTime, rest, null, null);
    }

    private StepLoop(String name, Steps stage, int batch, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive,
                     Lock turn, LongSupplier lag, LongSupplier nanoTime, LongConsumer rest, MeterRegistry metrics,
                     String stageTag) {
        if (batch < 1) throw new IllegalArgumentException("batch must be positive");
        this.stepsDone = metrics == null ? null : stepTimer(metrics, stageTag, "done");
        this.stepsFailed = metrics == null ? null : stepTimer(metrics, stageTag, "failed");
        this.name = name;
        this.stage = stage;
        this.batch = batch;
        this.ingestWaiting = ingestWaiting;
        this.ingestActive = ingestActive;
        this.turn = turn;
        this.lag = lag;
        this.nanoTime = nanoTime;
        this.rest = rest;
        this.caughtUpAt = nanoTime.getAsLong();
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    boolean healthy() {
        return healthy;
    }

    /** Tells the loop there may be new work. */
    void wake() {
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
            if (yields < MAX_YIELDS && behindGraces() < 1 && ingestWaiting.getAsBoolean()) {
                yields++;
                pause(YIELD_MILLIS);
                continue;
            }
            yields = 0;
            int n;
            try {
                n = stepOnce();
                healthy = true;
                if (diskFull.failing()) diskFull.succeeded();
                isolation.succeeded();
            } catch (RuntimeException e) {
                if (stopping) break;
                healthy = false;
                failed(e);
                continue;
            }
            stage.afterStep(n);
            if (n == 0 && !idle()) return;
        }
    }

    /**
     * After a failed step: a store that is unavailable is waited for; otherwise the next step is halved, and once a
     * step of one event has failed {@value #SET_ASIDE_TRIES} times that event is set aside. Only failures of one
     * event alone wait a second, so the search through a large batch is quick.
     */
    private void failed(RuntimeException e) {
        refreshAfterFailure();
        if (StorageFull.causedBy(e)) {
            // no event is at fault while the disk is full: nothing is set aside, and the log is not flooded
            if (diskFull.failed() > 0) {
                LOG.error("{} cannot write, the disk is full; retrying every second, reported once a minute: {}",
                        name, e.getMessage());
            }
            pause(RETRY_MILLIS);
            return;
        }
        if (StoreFailures.unavailable(e)) {
            LOG.error("{} failed: the store is unavailable; retrying in a second", name, e);
            pause(RETRY_MILLIS);
            return;
        }
        int tries = isolation.failed();
        if (tries == 0) {
            LOG.warn("{} failed on a batch; looking for the event that fails it: {}", name, e.toString());
            return;
        }
        if (tries < SET_ASIDE_TRIES || !isolation.maySetAside()) {
            LOG.error("{} failed on one event ({} of {} tries); retrying in a second", name, tries, SET_ASIDE_TRIES, e);
            pause(RETRY_MILLIS);
            return;
        }
        boolean setAside;
        try {
            setAside = stage.setAsideNext(StoreFailures.describe(e), tries);
        } catch (RuntimeException failed) {
            LOG.error("{} could not set an event aside; retrying in a second", name, failed);
            setAside = false;
        }
        if (setAside) {
            isolation.setAside();
            LOG.error("{} set aside an event that failed {} times on its own; it goes on with the next", name, tries, e);
        } else {
            pause(RETRY_MILLIS);
        }
    }

    private void refreshAfterFailure() {
        try {
            stage.afterFailure();
        } catch (RuntimeException ignored) {
            // the gauges keep their last values
        }
    }

    /**
     * The full batch while ingest is quiet; while it is active, what fits the step budget at the recent pace, the budget
     * multiplied by the square of {@link #behindGraces} once that passes 1, at most {@link #MAX_BEHIND_GROWTH} times.
     */
    int nextLimit() {
        return Math.min(isolation.cap(batch), unisolatedLimit());
    }

    private int unisolatedLimit() {
        if (!ingestActive.getAsBoolean()) return batch;
        double behind = Math.max(1, behindGraces());
        double budget = TimeUnit.MILLISECONDS.toNanos(ACTIVE_STEP_MILLIS) * Math.min(MAX_BEHIND_GROWTH, behind * behind);
        long fits = (long) (budget / nanosPerItem);
        return (int) Math.max(Math.min(MIN_ACTIVE_BATCH, batch), Math.min(batch, fits));
    }

    /**
     * One step as the running loop takes it: beside active ingest, in the stages' turn (unless behind for longer than
     * {@link #BEHIND_GRACE}) and followed by a rest as long as the step took, less as the stage's lag nears
     * {@value #CATCH_UP_LAG}.
     */
    int stepOnce() {
        if (!ingestActive.getAsBoolean()) return timedStep(nextLimit());
        if (behindGraces() >= 1) return stepAndRest(); // past the grace, not waiting for the other stages' rests
        turn.lock();
        try {
            return stepAndRest();
        } finally {
            turn.unlock();
        }
    }

    private int stepAndRest() {
        long start = nanoTime.getAsLong();
        int n = timedStep(nextLimit());
        if (n > 0) rest.accept((long) ((nanoTime.getAsLong() - start) * restFactor(lag.getAsLong())));
        return n;
    }

    /** How long the stage has been behind, in units of {@link #BEHIND_GRACE}; 0 while it is caught up. */
    private double behindGraces() {
        long now = nanoTime.getAsLong();
        if (lag.getAsLong() <= CAUGHT_UP_LAG) caughtUpAt = now;
        return (double) (now - caughtUpAt) / BEHIND_GRACE.toNanos();
    }

    /** The share of a step's time a stage rests after it beside active ingest: 1 without lag, 0 from {@link #CATCH_UP_LAG}. */
    static double restFactor(long lag) {
        return Math.max(0, 1 - (double) lag / CATCH_UP_LAG);
    }

    private static Timer stepTimer(MeterRegistry metrics, String stage, String outcome) {
        return Timer.builder("touchpoint.stage.step")
                .description("Time of one processor stage step (one transaction), by stage and outcome")
                .tags("stage", stage, "outcome", outcome)
                .serviceLevelObjectives(io.touchpoint.server.telemetry.ServerMetrics.STEP_BUCKETS)
                .register(metrics);
    }

    private int timedStep(int limit) {
        long start = nanoTime.getAsLong();
        isolation.stepping(limit);
        int n;
        try {
            n = stage.step(limit);
        } catch (RuntimeException e) {
            if (stepsFailed != null) stepsFailed.record(nanoTime.getAsLong() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
        if (n > 0 && stepsDone != null) stepsDone.record(nanoTime.getAsLong() - start, TimeUnit.NANOSECONDS);
        // only full steps say how long an item takes: a short one also carries the step's fixed cost alone
        if (n > 0 && n == limit) nanosPerItem = 0.7 * nanosPerItem + 0.3 * Math.max(1, nanoTime.getAsLong() - start) / n;
        return n;
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

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) return;
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(millis));
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
            while ((n = stage.step(batch)) > 0) stage.afterStep(n);
            stage.afterStep(0);
        } catch (RuntimeException e) {
            LOG.warn("{} could not drain on shutdown; it resumes from its cursor on start: {}", name, e.getMessage());
        }
    }
}
