package io.touchpoint.server.support;

/** Payloads from the seed documents: Cometly's events API and Able CDP's inbound webhook. */
public final class Payloads {
    /** The seed's example request body, byte for byte. */
    public static final String SEED_EXAMPLE = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\","
            + "\"comet_token\":\"ddffd8d8338383883838484843838388d8df8f\",\"fingerprint\":\"abcdef1234567890\","
            + "\"first_name\":\"John\",\"last_name\":\"Smith\",\"ip\":\"123.123.123.123\",\"amount\":34,"
            + "\"user_agent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/16.1 Safari/605.1.15\",\"event_time\":1677093110}";
    /** The seed's smallest accepted body. */
    public static final String MINIMUM = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\"}";

    /**
     * The Able seed's purchase example, compact, with the seed's own placeholder for the funnel mark (the copy of
     * the seed lost its braces and quotes; this is the payload it describes).
     */
    public static final String ABLE_SEED_EXAMPLE = "{\"funnel_mark\":\"%%FUNNEL_MARK%%\",\"event_type\":\"Purchase\","
            + "\"resource\":{\"deal_value\":10,\"deal_currency\":\"USD\",\"deal_items\":[{\"name\":\"File download\","
            + "\"price\":5,\"qty\":2,\"sku\":\"DL1\",\"category\":\"High-speed\"}],"
            + "\"keys\":{\"email\":\"\",\"client_id\":\"12354\"}}}";

    private Payloads() {
    }

    /** The Able seed's purchase example with a real funnel mark. */
    public static String ableSeed(String funnelMark) {
        return ABLE_SEED_EXAMPLE.replace("%%FUNNEL_MARK%%", funnelMark);
    }
}
