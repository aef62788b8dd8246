package io.touchpoint.core.stage;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns resolved events into touchpoints, conversions and their credits: each step takes events the identity stage
 * has resolved, plus merges made and undone since the last step, and commits their touchpoints, conversions,
 * credits and the advanced cursors in one transaction; a step's count is of events and merges. It follows the
 * identity stage's cursor.
 */
public interface AttributionStage extends SequenceStage {
    /**
     * This stage as Kafka mode runs it: each step takes the resolved events of one ingest log partition {@code owned}
     * answers (those this process's store writer holds) behind that partition's own position, or the events stored
     * without a partition, in turn, so that several processes share the work. Its cursor is the sequence up to which
     * every event is attributed.
     */
    AttributionStage byPartition(Supplier<Set<Integer>> owned);
}
