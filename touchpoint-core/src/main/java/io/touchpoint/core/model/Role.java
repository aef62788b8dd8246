package io.touchpoint.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * What a dashboard user may do in the workspaces they are given, each role including the ones below it: an analyst
 * reads, an admin also changes the workspace's settings, tokens, funnels, destinations and data, an owner also
 * manages users.
 */
public enum Role {
    ANALYST,
    ADMIN,
    OWNER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> fromWireName(String name) {
        if (name == null) return Optional.empty();
        for (Role r : values()) {
            if (r.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) return Optional.of(r);
        }
        return Optional.empty();
    }
}
