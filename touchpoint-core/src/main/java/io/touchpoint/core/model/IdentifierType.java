package io.touchpoint.core.model;

import java.util.Locale;
import java.util.Optional;

/** Kinds of identifiers that can tie an event to a visitor or person. {@link #wireName()} is the stored name. */
public enum IdentifierType {
    EMAIL(Role.MERGES),
    PHONE(Role.MERGES),
    VISITOR_TOKEN(Role.MERGES),
    CLIENT_ID(Role.MERGES),
    FINGERPRINT(Role.ATTACHES),
    GCLID(Role.JOINS),
    GBRAID(Role.JOINS),
    WBRAID(Role.JOINS),
    FBCLID(Role.JOINS),
    FBC(Role.JOINS),
    FBP(Role.JOINS),
    MSCLKID(Role.JOINS),
    TTCLID(Role.JOINS),
    TTP(Role.JOINS),
    LI_FAT_ID(Role.JOINS),
    TWCLID(Role.JOINS),
    GA_COOKIE(Role.JOINS),
    APP_INSTANCE_ID(Role.ATTACHES),
    APPLE_AD_ID(Role.ATTACHES),
    ANDROID_AD_ID(Role.ATTACHES);

    /** What an identifier of a type may do in identity resolution (docs/IDENTITY.md). */
    private enum Role {
        /** picks the profile and merges every profile carrying it */
        MERGES,
        /** finds the one profile carrying it when nothing merging does, never merges */
        JOINS,
        /** only attaches to the profile chosen otherwise (the fingerprint joins by its own rule, with the ip) */
        ATTACHES
    }

    private final Role role;

    IdentifierType(Role role) {
        this.role = role;
    }

    /** Strong identifiers may merge two profiles; weak ones only join events to visitors. */
    public boolean strong() {
        return role == Role.MERGES;
    }

    /**
     * Click ids and the platforms' browser cookies: weak, but an event with no strong identifier joins the one
     * profile that already carries the same value (see {@code IdentityResolver}). Mobile ad ids and app instance ids
     * only attach: a zeroed advertising id is shared by every device that limits ad tracking.
     */
    public boolean joins() {
        return role == Role.JOINS;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IdentifierType> fromWireName(String name) {
        for (IdentifierType t : values()) {
            if (t.wireName().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
