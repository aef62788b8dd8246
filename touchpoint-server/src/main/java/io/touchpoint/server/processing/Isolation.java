package io.touchpoint.server.processing;

/**
 * How a {@link StepLoop} finds the event that fails its steps: each failed step halves the next one, each
 * successful step doubles it back toward the full batch, so the steps close in on the first failing event in a few
 * dozen tries however large the batch; a step of that one event alone that keeps failing is counted, and the
 * loop sets the event aside after a few. Set-asides without a successful step between are capped: a fault that is
 * not one event's (every event fails) must not set the whole backlog aside.
 */
final class Isolation {
    static final int MAX_SET_ASIDE_IN_A_ROW = 5;
    private static final int FULL = Integer.MAX_VALUE;
    private int cap = FULL;
    private int lastLimit = FULL;
    private int tries;
    private int setAsideInARow;

    /** The most events the next step may take, within the stage's own {@code batch}. */
    int cap(int batch) {
        return Math.min(batch, cap);
    }

    void stepping(int limit) {
        lastLimit = limit;
    }

    void succeeded() {
        tries = 0;
        setAsideInARow = 0;
        if (cap != FULL) cap = cap > FULL / 2 ? FULL : cap * 2;
    }

    /** After a failed step: 0 when it held more than one event (the next is halved), else the event's tries so far. */
    int failed() {
        if (lastLimit > 1) {
            cap = Math.max(1, lastLimit / 2);
            tries = 0;
            return 0;
        }
        cap = 1;
        return ++tries;
    }

    boolean maySetAside() {
        return setAsideInARow < MAX_SET_ASIDE_IN_A_ROW;
    }

    /** The event was set aside: the next one starts with no tries, and the steps with the full batch again. */
    void setAside() {
        tries = 0;
        setAsideInARow++;
        cap = FULL;
    }
}
