package io.touchpoint.server.support;

/** Payloads from the Cometly seed document. */
public final class Payloads {
    /** The seed's example request body, byte for byte. */
    public static final String SEED_EXAMPLE = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\","
            + "\"comet_token\":\"ddffd8d8338383883838484843838388d8df8f\",\"fingerprint\":\"abcdef1234567890\","
            + "\"first_name\":\"John\",\"last_name\":\"Smith\",\"ip\":\"123.123.123.123\",\"amount\":34,"
            + "\"user_agent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/16.1 Safari/605.1.15\",\"event_time\":1677093110}";
    /** The seed's smallest accepted body. */
    public static final String MINIMUM = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\"}";

    private Payloads() {
    }
}
