package io.touchpoint.core.consent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/**
 * One consent signal's state: what the visitor (or the sender) chose, or the workspace's default for them.
 * {@link #UNKNOWN} is what events stored before consent was recorded read as.
 */
public enum ConsentState {
    GRANTED, DENIED, UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ConsentState fromWireName(String name) {
        return name == null ? UNKNOWN : parse(name).orElse(UNKNOWN);
    }

    /** {@code granted} or {@code denied}, in any case; empty for anything else (a sender cannot choose "unknown"). */
    public static Optional<ConsentState> parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "granted" -> Optional.of(GRANTED);
            case "denied" -> Optional.of(DENIED);
            default -> Optional.empty();
        };
    }
}
