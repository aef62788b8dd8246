package io.touchpoint.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an API token may do. */
public enum Scope {
    /** send events */
    INGEST,
    /** read the events log (and later profiles and reports) */
    READ;

    public static final Set<Scope> ALL = EnumSet.allOf(Scope.class);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromWireName(String name) {
        for (Scope s : values()) {
            if (s.wireName().equalsIgnoreCase(name.trim())) return Optional.of(s);
        }
        return Optional.empty();
    }
}
