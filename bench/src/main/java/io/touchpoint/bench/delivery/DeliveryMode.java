package io.touchpoint.bench.delivery;

import java.util.Locale;

/**
 * The state delivery is in while an ingest window is measured: {@code off} no destination enabled (the delivery
 * stage moves its cursor without reading events); {@code idle} five destinations with nothing left to send, so the
 * senders have only what the stage routes during the window; {@code busy} the same five with a backlog made just
 * before (while the fakes were down, then replayed: due now), so every sender works flat out during the window, as
 * it does under sustained ingest once delivery has fallen behind.
 */
enum DeliveryMode {
    OFF("no destinations"), IDLE("5 dst, outbox empty"), BUSY("5 dst, backlog");

    final String label;

    DeliveryMode(String label) {
        this.label = label;
    }

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
