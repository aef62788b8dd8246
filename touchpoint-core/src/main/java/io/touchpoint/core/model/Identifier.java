package io.touchpoint.core.model;

import java.util.Objects;

/** One normalised identifier carried by an event, e.g. (email, jane@example.com). */
public record Identifier(IdentifierType type, String value) {
    public Identifier {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }
}
