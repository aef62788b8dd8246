package io.touchpoint.core.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Events a processor stage could not handle after a few tries on their own: recorded with the error and skipped,
 * so that one event never halts a stage for every workspace. An administrator retries them; a stage's own
 * {@code processOne} clears the record when it handles one.
 */
public interface SetAsideStore {
    /** The processor's stages, in the order an event goes through them. */
    enum Stage {
        IDENTITY, ATTRIBUTION, DELIVERY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Stage> fromWireName(String s) {
            for (Stage st : values()) if (st.wireName().equals(s)) return Optional.of(st);
            return Optional.empty();
        }
    }

    /** One event a stage set aside: why, when, and after how many tries. */
    record SetAsideEvent(String eventId, String workspaceId, long sequence, Stage stage, String error, Instant at,
                         int tries) {
    }

    /**
     * The sequence of the event the stage takes next by its cursor: for identity the first event after its cursor,
     * for attribution the first resolved event after its cursor up to the identity cursor, for delivery the first
     * event after its cursor up to the attribution cursor. Empty when the stage is caught up.
     */
    OptionalLong next(Stage stage);

    /**
     * Records the event of sequence {@code seq} as set aside by {@code stage} and moves the stage's cursor to it, in
     * one transaction, if the cursor is still below it; false when it is not (another processor got there).
     */
    boolean setAside(Stage stage, long seq, String error, int tries);

    /** The most recent set-aside events, of one workspace or (null) of all, newest first. */
    List<SetAsideEvent> list(String workspaceId, int limit);

    /** An event's records (one per stage that set it aside), of one workspace or (null) any. */
    List<SetAsideEvent> of(String workspaceId, String eventId);

    /** The records of many events of one workspace at once, by event id. */
    Map<String, List<SetAsideEvent>> ofEvents(String workspaceId, Collection<String> eventIds);

    /** How many events the stage has set aside and nobody has retried successfully yet. */
    long count(Stage stage);

    /**
     * Notes a retry that failed again at {@code stage}: one more try and the new error on the event's record of that
     * stage, or a new record when the stage had none (it went past the event while an earlier stage held it).
     */
    void failedAgain(String eventId, Stage stage, String error);
}
