package io.touchpoint.server.processing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SetAsideStore.Stage;

import java.util.OptionalLong;

/**
 * One stage's side of the set-aside store: it sets events aside and keeps their count for the stage's gauges
 * ({@code touchpoint_stage_set_aside_events{stage}} and its lag), read at most once a second, since the stages
 * refresh their gauges after every step, and at once after this stage set one aside.
 */
public final class SetAsideCount {
    private static final long READ_EVERY_NANOS = 1_000_000_000L;
    private final SetAsideStore store;
    private final Stage stage;
    private volatile long count;
    private long readAt;
    private boolean read;

    public SetAsideCount(SetAsideStore store, Stage stage, MeterRegistry metrics) {
        this.store = store;
        this.stage = stage;
        Gauge.builder("touchpoint_stage_set_aside_events", this, SetAsideCount::get).tag("stage", stage.wireName())
                .description("Events a stage set aside after failing on them alone; retry with POST /admin/v1/set-aside/{event_id}/retry")
                .register(metrics);
    }

    public long get() {
        return count;
    }

    /** Reads the count again if a second has passed since the last read (a failure keeps the last value). */
    public synchronized void refresh() {
        long now = System.nanoTime();
        if (read && now - readAt < READ_EVERY_NANOS) return;
        count = store.count(stage);
        readAt = now;
        read = true;
    }

    /** The event the stage takes next by its cursor, as the store sees it. */
    public OptionalLong next() {
        return store.next(stage);
    }

    /** Sets the event of sequence {@code seq} aside ({@link SetAsideStore#setAside}); the count is read afresh. */
    public boolean setAside(long seq, String error, int tries) {
        boolean done = store.setAside(stage, seq, error, tries);
        synchronized (this) {
            read = false;
        }
        return done;
    }

    /** Sets aside the event the store sees next for the stage. */
    public boolean setAsideNext(String error, int tries) {
        OptionalLong next = next();
        return next.isPresent() && setAside(next.getAsLong(), error, tries);
    }
}
