package io.touchpoint.core.stage;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Resolves committed events to profiles in sequence order: each step runs the identity resolver over a batch of
 * events against the stored graph and commits the graph's changes with the advanced cursor. It follows the latest
 * committed event.
 */
public interface IdentityStage extends SequenceStage {
    /**
     * This stage as Kafka mode runs it: each step takes the events of one ingest log partition {@code owned} answers
     * (the partitions this process's store writer holds) behind that partition's own position, or the events stored
     * without a partition, in turn, so that several processes share the work. Its cursor is the sequence up to which
     * every event is resolved.
     */
    IdentityStage byPartition(Supplier<Set<Integer>> owned);
}
