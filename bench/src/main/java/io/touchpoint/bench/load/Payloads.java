package io.touchpoint.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Request bodies modelled on the example payload of the Cometly events API (the seed document): every
 * recommended identity field, a name, an amount and a user agent, about 440 bytes. Each event carries a
 * unique idempotency key, so every one is a new event; visitors repeat (50,000 of them) as on a real site.
 */
public final class Payloads {
    private static final String[] NAMES = {"lead_generated", "purchase", "add_to_cart", "view_content",
            "initiate_checkout", "complete_registration"};
    public static final int VISITORS = 50_000;
    public static final String USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/16.1 Safari/605.1.15";
    private final String keyPrefix;

    /** @param keyPrefix makes idempotency keys unique across runs and scenarios */
    public Payloads(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    byte[] single(long seq) {
        StringBuilder b = new StringBuilder(600);
        event(b, seq, System.currentTimeMillis() / 1000);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {"events":[...]} with {@code size} events numbered from {@code firstSeq}. */
    byte[] batch(long firstSeq, int size) {
        StringBuilder b = new StringBuilder(16 + size * 560);
        long now = System.currentTimeMillis() / 1000;
        b.append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) b.append(',');
            event(b, firstSeq + i, now);
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Able seed's purchase example (docs/WIRE-FORMATS.md: funnel mark, event type, deal value and currency, one item,
     * keys) with a unique {@code order_id}, so that no two requests share Able's idempotency rule (order id and
     * event type within the funnel). The {@code client_id} key cycles through the same 50,000 visitors.
     */
    byte[] able(long seq, String funnelMark) {
        StringBuilder b = new StringBuilder(360);
        b.append("{\"funnel_mark\":\"").append(funnelMark).append("\",\"event_type\":\"Purchase\",")
                .append("\"resource\":{\"deal_value\":10,\"deal_currency\":\"USD\",\"deal_items\":[{\"name\":\"File download\",")
                .append("\"price\":5,\"qty\":2,\"sku\":\"DL1\",\"category\":\"High-speed\"}],")
                .append("\"keys\":{\"email\":\"\",\"client_id\":\"").append(12354 + seq % VISITORS).append("\"},")
                .append("\"order_id\":\"").append(keyPrefix).append(seq).append("\"}}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The visitor of the event numbered {@code seq}. */
    static long visitor(long seq) {
        return seq % VISITORS;
    }

    /** A visitor's comet_token, which is also the pixel's visitor token (DeliveryBench's page views carry it). */
    public static String visitorToken(long visitor) {
        return "ddffd8d8338383883838484843838388" + Long.toHexString(0x5eed_0000_0000L + visitor);
    }

    public static String fingerprint(long visitor) {
        return "abcdef" + Long.toHexString(0x5eed_0000_0000L + visitor);
    }

    public static String ip(long visitor) {
        return "123.123." + (visitor / 250 % 250) + "." + (visitor % 250);
    }

    private void event(StringBuilder b, long seq, long epochSeconds) {
        long visitor = visitor(seq);
        b.append("{\"event_name\":\"").append(NAMES[(int) (seq % NAMES.length)]).append('"')
                .append(",\"email\":\"visitor").append(visitor).append("@example.com\"")
                .append(",\"comet_token\":\"").append(visitorToken(visitor)).append('"')
                .append(",\"fingerprint\":\"").append(fingerprint(visitor)).append('"')
                .append(",\"first_name\":\"John\",\"last_name\":\"Smith\"")
                .append(",\"ip\":\"").append(ip(visitor)).append('"')
                .append(",\"amount\":").append(10 + seq % 90)
                .append(",\"user_agent\":\"").append(USER_AGENT).append('"')
                .append(",\"event_time\":").append(epochSeconds - 5)
                .append(",\"idempotency_key\":\"").append(keyPrefix).append(seq).append("\"}");
    }
}
