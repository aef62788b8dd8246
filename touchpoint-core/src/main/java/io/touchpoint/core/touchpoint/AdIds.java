package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.Campaign;

import java.util.List;
import java.util.Map;

/**
 * The ad platform's own ids of the campaign, ad set (Google's ad group) and ad a visit came from, as the tracking
 * template a marketer pastes into the platform fills them in (docs/ATTRIBUTION.md, *Ad ids in URLs*): the event's
 * comet_ad_group / comet_ad_id fields first, then the landing URL's parameters, each level's first name that has a
 * value. A value the platform left unexpanded ({@code {{ad.id}}}, {@code {creative}}, {@code __CID__}) is no id.
 */
public record AdIds(String campaignId, String adSetId, String adId) {
    public static final AdIds NONE = new AdIds(null, null, null);
    /** Platform ids are short numbers or strings; a longer value is cut, as group values are. */
    static final int MAX_LENGTH = 100;

    /** URL parameters read for each level, in order of preference. */
    public static final List<String> CAMPAIGN_PARAMS = List.of("campaign_id", "utm_id", "campaignid");
    public static final List<String> AD_SET_PARAMS = List.of("adset_id", "ad_set_id", "adgroup_id", "adgroupid");
    public static final List<String> AD_PARAMS = List.of("ad_id", "adid", "creative");

    public AdIds {
        campaignId = clean(campaignId);
        adSetId = clean(adSetId);
        adId = clean(adId);
    }

    /** The ids of an event's campaign fields and its page URL's query (keys in lower case). */
    public static AdIds of(Campaign campaign, Map<String, String> query) {
        Campaign c = campaign == null ? Campaign.NONE : campaign;
        return new AdIds(first(null, query, CAMPAIGN_PARAMS), first(c.adGroup(), query, AD_SET_PARAMS),
                first(c.adId(), query, AD_PARAMS));
    }

    public boolean isEmpty() {
        return campaignId == null && adSetId == null && adId == null;
    }

    private static String first(String field, Map<String, String> query, List<String> params) {
        if (clean(field) != null) return field;
        for (String p : params) {
            String v = query.get(p);
            if (clean(v) != null) return v;
        }
        return null;
    }

    private static String clean(String v) {
        if (v == null) return null;
        String s = v.strip();
        if (s.isEmpty() || s.contains("{") || s.contains("}") || s.startsWith("__") && s.endsWith("__")) return null;
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s;
    }
}
