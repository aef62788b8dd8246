package io.touchpoint.core.stage;

/**
 * Turns resolved events into touchpoints, conversions and their credits: each step takes events the identity stage
 * has resolved, plus merges made and undone since the last step, and commits their touchpoints, conversions,
 * credits and the advanced cursors in one transaction; a step's count is of events and merges. It follows the
 * identity stage's cursor.
 */
public interface AttributionStage extends SequenceStage {
}
