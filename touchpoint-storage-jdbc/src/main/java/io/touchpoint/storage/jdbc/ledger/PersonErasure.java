package io.touchpoint.storage.jdbc.ledger;

/**
 * Erasing a person, as the identity store offers it: the erasure crosses every room's tables, so the assembly hands
 * the identity store one rather than the identity room reaching into the others.
 */
public interface PersonErasure {
    /** Erases the profile and everything merged into it; false when there is no such profile. */
    boolean erase(String workspaceId, String profileId);
}
