package io.touchpoint.core.model;

/**
 * Where and how the event happened. Click ids are identifiers, not context. {@code eventSource} is what the
 * sender says the event came from: a page URL for web events, an integration's name for server events.
 */
public record Context(String ip, String userAgent, String pageUrl, String referrer, Campaign campaign,
                      String eventSource) {
    public static final Context EMPTY = new Context(null, null, null, null, Campaign.NONE, null);

    public Context {
        campaign = campaign == null ? Campaign.NONE : campaign;
    }
}
