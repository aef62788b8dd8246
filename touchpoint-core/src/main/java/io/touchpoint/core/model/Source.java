package io.touchpoint.core.model;

import java.util.Locale;

/** Which door an event came in by. */
public enum Source {
    COMETLY,
    ABLE,
    PIXEL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
