package io.touchpoint.core.stage;

import java.util.OptionalLong;

/**
 * A stage that walks the committed events in sequence order behind a cursor, following a position upstream of it
 * (the latest event, or the cursor of the stage before it). An event that fails a step on its own can be set aside:
 * the stage's cursor moves past it, and {@link #processOne} handles it later, out of order.
 */
public interface SequenceStage extends Stage {
    /** The sequence of the last event whose results this stage has committed. */
    long cursor();

    /** The sequence this stage works toward: the latest committed event, or the cursor of the stage it follows. */
    long upstream();

    /** Events ahead of the stage: between its cursor and {@link #upstream()}. */
    default long lag() {
        return Math.max(0, upstream() - cursor());
    }

    /** The event a step of one would take next (the one to set aside when such steps keep failing); empty when caught up. */
    OptionalLong next();

    /**
     * Handles one event out of sequence order (one set aside, now retried, or one an earlier stage handled late) and
     * clears this stage's set-aside record of it in the same transaction; the cursor stays. False when there was
     * nothing to handle: the event is not stored (erased meanwhile), not ready for this stage, or not reached by the
     * cursor yet (the next step takes it in order).
     */
    boolean processOne(long seq);
}
