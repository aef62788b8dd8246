package io.touchpoint.server.processing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SetAsideStore.Stage;

/**
 * One stage's side of the set-aside store: it sets events aside and keeps their count for the stage's gauges
 * ({@code touchpoint_stage_set_aside_events{stage}} and its lag), read at most once a second, since the stages
 * refresh their gauges after every step, and at once after this stage set one aside.
 */
final class SetAsideCount {
    private static final long READ_EVERY_NANOS = 1_000_000_000L;
    private final SetAsideStore store;
    private final Stage stage;
    private volatile long count;
    private long readAt;
    private boolean read;

    SetAsideCount(SetAsideStore store, Stage stage, MeterRegistry metrics) {
        this.store = store;
        this.stage = stage;
        Gauge.builder("touchpoint.stage.set_aside", this, SetAsideCount::get).baseUnit("events").tag("stage", stage.wireName())
                .description("Events a stage set aside after failing on them alone; retry with POST /admin/v1/set-aside/{event_id}/retry")
                .register(metrics);
    }

    long get() {
        return count;
    }

    /** Reads the count again if a second has passed since the last read (a failure keeps the last value). */
    synchronized void refresh() {
        long now = System.nanoTime();
        if (read && now - readAt < READ_EVERY_NANOS) return;
        count = store.count(stage);
        readAt = now;
        read = true;
    }

    /** Sets the event of sequence {@code seq} aside ({@link SetAsideStore#setAside}); the count is read afresh. */
    boolean setAside(long seq, String error, int tries) {
        boolean done = store.setAside(stage, seq, error, tries);
        synchronized (this) {
            read = false;
        }
        return done;
    }
}
