package io.touchpoint.core.model;

/**
 * Campaign signals an event carries: UTM fields and the ad-platform hints some integrations send
 * (Cometly's comet_* fields). Together with click-id identifiers they form the event's own touchpoint.
 */
public record Campaign(String source, String medium, String name, String term, String content,
                       String network, String adGroup, String adId, String keyword, String type,
                       String placement) {
    public static final Campaign NONE = new Campaign(null, null, null, null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }
}
