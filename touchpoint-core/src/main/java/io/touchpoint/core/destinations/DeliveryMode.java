package io.touchpoint.core.destinations;

import java.util.Locale;
import java.util.Optional;

/** Which conversions a destination receives: all of them, or those credited at least partly to its platform. */
public enum DeliveryMode {
    ALL,
    ATTRIBUTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeliveryMode> fromWireName(String name) {
        for (DeliveryMode m : values()) {
            if (m.wireName().equals(name)) return Optional.of(m);
        }
        return Optional.empty();
    }
}
