package io.touchpoint.core.store;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The identity graph: profiles, identifier links, the merge log and the per-workspace guardrails. The identity
 * stage ({@link io.touchpoint.core.stage.IdentityStage}) writes the graph; profile ids given out are canonical, and
 * an id merged away answers as its survivor.
 */
public interface IdentityStore {
    Guardrails guardrails(String workspaceId);

    void putGuardrails(String workspaceId, Guardrails guardrails);

    /**
     * The canonical profile an identifier is linked to (the oldest when it is on several), looked up under its
     * {@link io.touchpoint.core.identity.IdentityResolver#linkKey}: an {@code _fbc} cookie or an fbclid finds the
     * same click, a {@code _ga} cookie its client id.
     */
    Optional<String> findProfile(String workspaceId, Identifier identifier);

    Optional<Profile> profile(String workspaceId, String profileId);

    /**
     * The workspace's people, most recently seen first (then by profile id): canonical profiles whose identifiers
     * contain {@code search} (any type, case-insensitive; null or blank: everyone), {@code limit} at a time after the
     * page {@code cursor} ended (null: the first page). A search may end a page early, with fewer people and a next
     * cursor, to bound what one page reads.
     */
    Page<PersonSummary> people(String workspaceId, String search, int limit, String cursor);

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
}
