package io.touchpoint.core.stage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionTurnsTest {
    @Test
    void stepsTakeTheTracksInTurnPassingOverThoseWithoutWork() {
        PartitionTurns turns = new PartitionTurns();
        List<Integer> stepped = new ArrayList<>();
        Set<Integer> busy = Set.of(1, 4);
        for (int i = 0; i < 4; i++) {
            int n = turns.step(Set.of(4, 1, 2), p -> {
                if (p == null || !busy.contains(p)) return 0;
                stepped.add(p);
                return 10;
            });
            assertThat(n).isEqualTo(10);
        }
        assertThat(stepped).containsExactly(1, 4, 1, 4);
        assertThat(turns.step(Set.of(2), p -> 0)).isZero();
    }

    @Test
    void aTrackThatFailsIsTheCurrentOneAndTheNextStepStartsFromIt() {
        PartitionTurns turns = new PartitionTurns();
        assertThatThrownBy(() -> turns.step(Set.of(3), p -> {
            if (p != null) throw new IllegalStateException("broken");
            return 0;
        })).hasMessage("broken");
        assertThat(turns.current()).isEqualTo(3);
        List<Integer> tried = new ArrayList<>();
        turns.step(Set.of(3), p -> {
            tried.add(p);
            return 1;
        });
        assertThat(tried).containsExactly(3);
    }
}
