package io.touchpoint.server.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.stage.SequenceStage;
import io.touchpoint.core.stage.Stage;
import io.touchpoint.core.store.SetAsideStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link Stage} on a thread of its own ({@link StepLoop}): steps it beside ingest, finds and sets aside the
 * event that keeps failing it, tells whether it is healthy, and keeps its meters — how many items it handled, and for
 * a stage that walks the events behind a cursor ({@link SequenceStage}) its lag, including the events it set aside.
 * {@link #close()} drains: what was committed before it is handled when it returns.
 */
public final class StageRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
    /** How old the last look at the cursor may be when the lag is read. */
    static final long LAG_FRESH_MILLIS = 1000;

    /**
     * What the runner knows of ingest: whether records wait for the writer, and whether ingest is active at all; and the
     * turn the stages built with it take beside active ingest.
     */
    public record Ingest(BooleanSupplier waiting, BooleanSupplier active, Lock turn) {
        public Ingest(BooleanSupplier waiting, BooleanSupplier active) {
            this(waiting, active, new ReentrantLock(true));
        }
    }

    private final Stage stage;
    private final SequenceStage sequence;
    private final StepLoop loop;
    private final SetAsideCount setAside;
    private final Counter handled;
    private volatile long cursor;
    private volatile long upstream;
    /** When the cursor and upstream were last read ({@link System#nanoTime()}); 0 before the first read. */
    private volatile long refreshedAt;

    private StageRunner(Builder b) {
        this.stage = b.stage;
        this.sequence = b.stage instanceof SequenceStage s ? s : null;
        this.setAside = b.setAside == null ? null
                : new SetAsideCount(b.setAside, SetAsideStore.Stage.fromWireName(stage.name()).orElseThrow(
                        () -> new IllegalArgumentException("no set-aside records for stage " + stage.name())), b.metrics);
        this.handled = b.counter == null ? null
                : Counter.builder(b.counter).description(b.counterDescription).register(b.metrics);
        StepLoop.Steps steps = new StepLoop.Steps() {
            @Override
            public int step(int limit) {
                return stage.step(limit);
            }

            @Override
            public void afterStep(int n) {
                if (handled != null) handled.increment(n);
                refresh();
            }

            @Override
            public void afterFailure() {
                refresh();
            }

            @Override
            public boolean setAsideNext(String error, int tries) {
                if (setAside == null) return false;
                OptionalLong next = sequence.next();
                return next.isPresent() && setAside.setAside(next.getAsLong(), error, tries);
            }
        };
        String thread = stage.name().replace('_', '-') + "-stage";
        this.loop = new StepLoop(thread, steps, b.batch, b.ingest.waiting(), b.ingest.active(), b.ingest.turn(),
                this::lag, b.timed ? b.metrics : null, stage.name());
        if (b.lagDescription != null) {
            Gauge.builder("touchpoint." + stage.name() + ".lag", this, StageRunner::lag).baseUnit("events")
                    .description(b.lagDescription).register(b.metrics);
        }
        if (b.cursorDescription != null) {
            Gauge.builder("touchpoint." + stage.name() + ".cursor", this, r -> r.cursor)
                    .description(b.cursorDescription).register(b.metrics);
        }
    }

    /** A runner of {@code stage}, with its meters on {@code metrics}; it takes the stage's quiet batch unless told. */
    public static Builder of(Stage stage, MeterRegistry metrics, Ingest ingest) {
        return new Builder(stage, metrics, ingest);
    }

    public static final class Builder {
        private final Stage stage;
        private final MeterRegistry metrics;
        private final Ingest ingest;
        private int batch;
        private SetAsideStore setAside;
        private String counter;
        private String counterDescription;
        private String lagDescription;
        private String cursorDescription;
        private boolean timed;

        private Builder(Stage stage, MeterRegistry metrics, Ingest ingest) {
            this.stage = stage;
            this.metrics = metrics;
            this.ingest = ingest;
            this.batch = stage.quietBatch();
        }

        /** The most items per step while ingest is quiet, instead of the stage's own {@link Stage#quietBatch()}. */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /**
         * Sets aside the event that keeps failing a step of one, in {@code store} under the stage's name, and counts the
         * stage's set-aside events in its lag and in {@code touchpoint_stage_set_aside_events{stage}}.
         */
        public Builder settingAsideIn(SetAsideStore store) {
            requireSequence();
            this.setAside = store;
            return this;
        }

        /** Counts the items the stage handled in a counter of this name. */
        public Builder counted(String name, String description) {
            this.counter = name;
            this.counterDescription = description;
            return this;
        }

        /** Shows the stage's lag as {@code touchpoint_<stage>_lag_events}. */
        public Builder lag(String description) {
            requireSequence();
            this.lagDescription = description;
            return this;
        }

        /** Shows the stage's cursor as {@code touchpoint_<stage>_cursor}. */
        public Builder cursor(String description) {
            requireSequence();
            this.cursorDescription = description;
            return this;
        }

        /** Times each step in {@code touchpoint_stage_step_seconds{stage,outcome}}. */
        public Builder timed() {
            this.timed = true;
            return this;
        }

        public StageRunner build() {
            if (batch < 1) throw new IllegalArgumentException("batch must be positive");
            return new StageRunner(this);
        }

        private void requireSequence() {
            if (!(stage instanceof SequenceStage)) {
                throw new IllegalArgumentException("stage " + stage.name() + " has no cursor");
            }
        }
    }

    public void start() {
        refresh();
        loop.start();
    }

    public String name() {
        return stage.name();
    }

    /**
     * Events the stage has not handled: those between its cursor and what it follows, and those it set aside; 0 for a
     * stage without a cursor. The loop looks after every step; a caller finding that look over {@value
     * #LAG_FRESH_MILLIS} ms old (the stage is resting beside ingest, or waiting for the write lock) looks again, so
     * that a stage held back through a burst never reports the lag it had before it.
     */
    public long lag() {
        if (sequence != null && System.nanoTime() - refreshedAt > LAG_FRESH_MILLIS * 1_000_000L) refresh();
        return Math.max(0, upstream - cursor) + (setAside == null ? 0 : setAside.get());
    }

    public boolean healthy() {
        return loop.healthy();
    }

    /** Tells the runner there may be new work. */
    public void wake() {
        loop.wake();
    }

    private synchronized void refresh() {
        if (sequence == null) return;
        try {
            cursor = sequence.cursor();
            upstream = sequence.upstream();
            refreshedAt = System.nanoTime();
            if (setAside != null) setAside.refresh();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the {} stage's cursor: {}", stage.name(), e.getMessage());
        }
    }

    /**
     * Stops the loop, then handles whatever is left (call a stage's runner after the runner of the stage it follows
     * has closed); a failure there is logged, and the stage resumes from its cursor on start.
     */
    @Override
    public void close() {
        loop.close();
    }
}
