package io.touchpoint.core.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Whose turn it is in a stage that Kafka mode runs by partition: the events stored without a partition, then each
 * partition the process holds, round-robin, so that one busy partition does not starve the others. A step goes to
 * the first of them, from the turn on, that has work.
 */
public final class PartitionTurns {
    /** The partition of the track a step is on; null for the events stored without a partition. */
    private Integer current;
    private int turn;

    /**
     * Steps the tracks in turn with {@code stepTrack} (given a partition, or null) until one handles something;
     * answers its count, or 0 when none had work. A track that fails stays the current one, and the next step starts
     * from it.
     */
    public int step(Set<Integer> owned, ToIntFunction<Integer> stepTrack) {
        List<Integer> tracks = new ArrayList<>();
        tracks.add(null);
        tracks.addAll(new TreeSet<>(owned));
        for (int i = 0; i < tracks.size(); i++) {
            int at = (turn + i) % tracks.size();
            current = tracks.get(at);
            try {
                int n = stepTrack.applyAsInt(current);
                if (n > 0) {
                    turn = at + 1;
                    return n;
                }
            } catch (RuntimeException | Error e) {
                turn = at;
                throw e;
            }
        }
        return 0;
    }

    /** The partition of the track the last step was on (the one whose next event a failing step sets aside); null for none. */
    public Integer current() {
        return current;
    }
}
