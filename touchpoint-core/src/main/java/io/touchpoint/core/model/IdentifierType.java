package io.touchpoint.core.model;

import java.util.Locale;
import java.util.Optional;

/** Kinds of identifiers that can tie an event to a visitor or person. {@link #wireName()} is the stored name. */
public enum IdentifierType {
    EMAIL(true),
    PHONE(true),
    VISITOR_TOKEN(true),
    CLIENT_ID(true),
    FINGERPRINT(false),
    GCLID(false),
    GBRAID(false),
    WBRAID(false),
    FBCLID(false),
    FBC(false),
    FBP(false),
    MSCLKID(false),
    TTCLID(false),
    TTP(false),
    LI_FAT_ID(false),
    TWCLID(false),
    GA_COOKIE(false),
    APP_INSTANCE_ID(false),
    APPLE_AD_ID(false),
    ANDROID_AD_ID(false);

    private final boolean strong;

    IdentifierType(boolean strong) {
        this.strong = strong;
    }

    /** Strong identifiers may merge two profiles (SPEC §6); weak ones only join events to visitors. */
    public boolean strong() {
        return strong;
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
