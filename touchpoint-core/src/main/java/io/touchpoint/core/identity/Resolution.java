package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;

import java.util.List;

/**
 * What resolving one event decided. The caller applies it: create the profile when {@code created}, then the
 * merges in order, then the links (a link to a profile the identifier is already on only refreshes its
 * last-seen time).
 *
 * @param profileId the canonical profile the event belongs to
 * @param created   whether that profile is new
 */
public record Resolution(String eventId, long seq, String profileId, boolean created, List<Merge> merges,
                         List<Link> links, List<Skip> skipped) {
    public Resolution {
        merges = List.copyOf(merges);
        links = List.copyOf(links);
        skipped = List.copyOf(skipped);
    }

    /** Rule names recorded on links and merges. */
    public static final String RULE_STRONG = "strong_identifier";
    public static final String RULE_NEW_PROFILE = "new_profile";
    public static final String RULE_FINGERPRINT_IP = "fingerprint_ip";
    public static final String RULE_ATTACH = "attach";

    /** {@code absorbed} joins {@code survivor} because both carry {@code via}. */
    public record Merge(String survivor, String absorbed, Identifier via, String rule) {
    }

    /** {@code identifier} is linked to {@code profileId} by {@code rule}. */
    public record Link(Identifier identifier, String profileId, String rule) {
    }

    /** A guardrail kept an identifier from linking or a merge from happening. */
    public record Skip(Identifier identifier, String reason, String otherProfile) {
        public static final String BLOCKED = "blocked_value";
        public static final String OVER_SHARED = "over_shared";
        public static final String TYPE_LIMIT = "type_limit";
        public static final String MERGE_LIMIT = "merge_would_exceed_limit";
        public static final String EMAIL_CONFLICT = "fingerprint_email_conflict";
    }
}
