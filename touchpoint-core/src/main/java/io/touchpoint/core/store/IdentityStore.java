package io.touchpoint.core.store;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The identity graph (SPEC §6): profiles, identifier links, the merge log, the processor's cursor and the
 * per-workspace guardrails. Profile ids given out are canonical; an id merged away answers as its survivor.
 */
public interface IdentityStore {
    /** The last event sequence whose identity results are committed. */
    long cursor();

    /** The highest committed event sequence; {@code latestSequence() - cursor()} is the processor's lag. */
    long latestSequence();

    /**
     * Resolves up to {@code limit} events after the cursor in sequence order and commits their results and the
     * advanced cursor in one transaction; returns how many events it resolved (0 when caught up).
     */
    int processNext(int limit);

    /**
     * Resolves one event out of sequence order (one the stage set aside, now retried) and clears its set-aside
     * record in the same transaction; the cursor stays. False when no such event is stored (erased meanwhile).
     */
    boolean processOne(long seq);

    /**
     * The most events {@link #processNext} should take at once while nothing else waits for the store (ingest
     * quiet): what a batch's writes cost, per page or per row, decides it, and the store knows which.
     */
    int quietBatch();

    Guardrails guardrails(String workspaceId);

    void putGuardrails(String workspaceId, Guardrails guardrails);

    /**
     * The canonical profile an identifier is linked to (the oldest when it is on several), looked up under its
     * {@link io.touchpoint.core.identity.IdentityResolver#linkKey}: an {@code _fbc} cookie or an fbclid finds the
     * same click, a {@code _ga} cookie its client id.
     */
    Optional<String> findProfile(String workspaceId, Identifier identifier);

    Optional<Profile> profile(String workspaceId, String profileId);

    /** The profile's events (every merged visitor and device), in event-time order. */
    List<Event> journey(String workspaceId, String profileId);

    /** The canonical profile the event resolved to, once processed. */
    Optional<String> profileOfEvent(String workspaceId, String eventId);

    /** Canonical profile ids for many events at once (events not yet processed are absent). */
    Map<String, String> profilesOfEvents(String workspaceId, List<String> eventIds);

    /**
     * Undoes one merge: the absorbed profile, with the identifiers linked to it and the events resolved to it,
     * stands on its own again. Returns false when there is no such merge in the workspace or it is undone already.
     */
    boolean unmerge(String workspaceId, long mergeId);

    /**
     * Erases a profile and everything merged into it: its events, the payload and email of every events-log row that
     * names one of its identifiers (refused requests included), its identifiers, merge log and the profile rows.
     * Returns false when there is no such profile.
     */
    boolean erase(String workspaceId, String profileId);

    /** Canonical profile → its identifiers as {@code type:value}, for comparing whole graphs. */
    Map<String, Set<String>> partition(String workspaceId);
}
