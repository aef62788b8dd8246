package io.touchpoint.core.audit;

import io.touchpoint.core.model.ApiToken;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who did something the audit log records: the administrator (by the administrator token, a dashboard session or
 * the command line), a workspace's API token, or a dashboard user. {@code id} tells actors of one kind apart
 * (the token's or user's id); {@code label} is what a person reads (the token's name, the user's e-mail, how the
 * administrator came in). Neither is ever a secret.
 */
public record Actor(Kind kind, String id, String label) {
    public enum Kind {
        ADMINISTRATOR, TOKEN, USER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> fromWireName(String s) {
            for (Kind k : values()) if (k.wireName().equals(s)) return Optional.of(k);
            return Optional.empty();
        }
    }

    /** The one administrator's id: there is a single administrator credential. */
    public static final String ADMINISTRATOR_ID = "administrator";

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** The administrator, come in by {@code how} (e.g. "administrator token", "dashboard session"). */
    public static Actor administrator(String how) {
        return new Actor(Kind.ADMINISTRATOR, ADMINISTRATOR_ID, how);
    }

    /** A workspace's API token, labelled by its name (or its visible prefix when it has none). */
    public static Actor token(ApiToken t) {
        return new Actor(Kind.TOKEN, t.id(), t.name() == null || t.name().isBlank() ? t.prefix() : t.name());
    }

    /** A dashboard user, labelled by their e-mail. */
    public static Actor user(String userId, String email) {
        return new Actor(Kind.USER, userId, email);
    }
}
