package io.touchpoint.core.stage;

/**
 * Resolves committed events to profiles in sequence order: each step runs the identity resolver over a batch of
 * events against the stored graph and commits the graph's changes with the advanced cursor. It follows the latest
 * committed event.
 */
public interface IdentityStage extends SequenceStage {
}
