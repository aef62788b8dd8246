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
    /** The event joined the one profile that already carries one of its click ids or platform cookies. */
    public static final String RULE_CLICK_ID = "click_id_or_cookie";
    public static final String RULE_ATTACH = "attach";

    /** {@code absorbed} joins {@code survivor} because both carry {@code via}. */
    public record Merge(String survivor, String absorbed, Identifier via, String rule) {
    }

    /** {@code identifier} is linked to {@code profileId} by {@code rule}. */
    public record Link(Identifier identifier, String profileId, String rule) {
    }

    /**
     * A guardrail kept an identifier from linking, a merge from happening or the event from joining
     * {@code otherProfile}; one with another profile goes to the merge log.
     */
    public record Skip(Identifier identifier, String reason, String otherProfile) {
        public static final String BLOCKED = "blocked_value";
        public static final String OVER_SHARED = "over_shared";
        public static final String TYPE_LIMIT = "type_limit";
        public static final String MERGE_LIMIT = "merge_would_exceed_limit";
        public static final String EMAIL_CONFLICT = "fingerprint_email_conflict";
        /** A click id or cookie already on several profiles joins none of them. */
        public static final String CLICK_ID_SHARED = "click_id_on_several_profiles";
        /** The event's click ids and cookies are each on one profile, but not the same one: it joins neither. */
        public static final String CLICK_IDS_DISAGREE = "click_ids_disagree";
        /** The event and the one profile its click id or cookie is on carry emails, none shared: no join. */
        public static final String CLICK_ID_EMAIL_CONFLICT = "click_id_email_conflict";

        /** The rule that was not applied, as the merge log records it. */
        public String rule() {
            return switch (reason) {
                case EMAIL_CONFLICT -> RULE_FINGERPRINT_IP;
                case CLICK_ID_SHARED, CLICK_IDS_DISAGREE, CLICK_ID_EMAIL_CONFLICT -> RULE_CLICK_ID;
                default -> RULE_STRONG;
            };
        }
    }
}
