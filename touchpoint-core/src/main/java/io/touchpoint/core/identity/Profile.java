package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;

import java.time.Instant;
import java.util.List;

/**
 * A profile as stored: its canonical id, the profiles merged into it, every identifier with how it was linked,
 * and its merge log (merges made and merges a guardrail skipped).
 */
public record Profile(String id, String workspaceId, Instant createdAt, List<String> mergedProfiles,
                      List<LinkedIdentifier> identifiers, List<MergeRecord> merges) {
    public Profile {
        mergedProfiles = List.copyOf(mergedProfiles);
        identifiers = List.copyOf(identifiers);
        merges = List.copyOf(merges);
    }

    /** One identifier on the profile: which (possibly merged) profile it was linked to, by which event and rule. */
    public record LinkedIdentifier(Identifier identifier, String linkedTo, String rule, String eventId,
                                   Instant firstSeen, Instant lastSeen) {
    }

    /** One merge-log entry; {@code outcome} is {@code merged} or the guardrail that skipped it. */
    public record MergeRecord(long id, String survivor, String absorbed, Identifier via, String rule, String outcome,
                              String eventId, Instant at, Instant undoneAt) {
        public static final String MERGED = "merged";
    }
}
