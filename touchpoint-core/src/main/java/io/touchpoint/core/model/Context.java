package io.touchpoint.core.model;

/** Where and how the event happened. Click ids are identifiers, not context. */
public record Context(String ip, String userAgent, String pageUrl, String referrer, Campaign campaign) {
    public static final Context EMPTY = new Context(null, null, null, null, Campaign.NONE);

    public Context {
        campaign = campaign == null ? Campaign.NONE : campaign;
    }
}
