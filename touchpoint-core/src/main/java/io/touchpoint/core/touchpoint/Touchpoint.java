package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.IdentifierType;

import java.util.Objects;

/**
 * One marketing touch (docs/ATTRIBUTION.md): where a visit came from, as the landing URL and referrer tell it, with the
 * channel of the default channel grouping and the ad platform. {@code source} and {@code medium} are the
 * effective values the grouping used (UTM fields, else implied by a click id, else derived from the referrer);
 * {@code clickIdType}/{@code clickId} are null when the visit carried none. {@code campaignId}, {@code adSetId} and
 * {@code adId} are the platform's own ids when the visit's URL or event named them ({@link AdIds}), else null.
 */
public record Touchpoint(String source, String medium, String campaign, String term, String content,
                         IdentifierType clickIdType, String clickId, Platform platform, Channel channel,
                         String campaignId, String adSetId, String adId) {
    /**
     * The most UTF-8 bytes of one group value. Reports group by all five together in one index entry, which
     * PostgreSQL caps at about 2,700 bytes; a URL's query can carry a campaign of any length.
     */
    public static final int MAX_GROUP_VALUE_BYTES = 400;

    public Touchpoint {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(channel, "channel");
        source = clip(source);
        medium = clip(medium);
        campaign = clip(campaign);
        term = clip(term);
        content = clip(content);
        AdIds ids = new AdIds(campaignId, adSetId, adId);
        campaignId = ids.campaignId();
        adSetId = ids.adSetId();
        adId = ids.adId();
    }

    /** A touchpoint without ad ids. */
    public Touchpoint(String source, String medium, String campaign, String term, String content,
                      IdentifierType clickIdType, String clickId, Platform platform, Channel channel) {
        this(source, medium, campaign, term, content, clickIdType, clickId, platform, channel, null, null, null);
    }

    public AdIds adIds() {
        return new AdIds(campaignId, adSetId, adId);
    }

    /** This touchpoint with the ad ids its visit named. */
    public Touchpoint withAdIds(AdIds ids) {
        return new Touchpoint(source, medium, campaign, term, content, clickIdType, clickId, platform, channel,
                ids.campaignId(), ids.adSetId(), ids.adId());
    }

    /** The longest prefix of whole characters within {@link #MAX_GROUP_VALUE_BYTES}. */
    static String clip(String s) {
        if (s == null || s.length() * 3 <= MAX_GROUP_VALUE_BYTES) return s;
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > MAX_GROUP_VALUE_BYTES) return s.substring(0, i);
            bytes += n;
            i += Character.charCount(cp);
        }
        return s;
    }
}
