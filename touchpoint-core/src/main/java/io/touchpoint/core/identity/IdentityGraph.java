package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What {@link IdentityResolver} needs to read from the identity graph of one workspace. Profile ids given
 * out are always canonical (a profile merged into another answers as the survivor).
 */
public interface IdentityGraph {
    /** The canonical profiles this identifier is linked to, without duplicates. */
    List<String> profilesLinkedTo(Identifier id);

    /** The canonical profile on which this identifier was most recently seen at or after {@code since}, or null. */
    String recentProfile(Identifier id, Instant since);

    /** The commit sequence of the event that created the profile: lower is older. */
    long createdSeq(String profileId);

    /** The values of one type linked to the canonical profile or to anything merged into it. */
    Set<String> values(String profileId, IdentifierType type);
}
