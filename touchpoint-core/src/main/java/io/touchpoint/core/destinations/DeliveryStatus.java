package io.touchpoint.core.destinations;

import java.util.Locale;
import java.util.Optional;

/**
 * Where one (event, destination) delivery stands. {@code PENDING} and {@code RETRYING} are still to be sent;
 * {@code SENT}, {@code SKIPPED} and {@code DEAD} are final until a replay puts the delivery back to pending.
 */
public enum DeliveryStatus {
    PENDING,
    RETRYING,
    SENT,
    SKIPPED,
    DEAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
        return this == PENDING || this == RETRYING;
    }

    public static Optional<DeliveryStatus> fromWireName(String name) {
        for (DeliveryStatus s : values()) {
            if (s.wireName().equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
