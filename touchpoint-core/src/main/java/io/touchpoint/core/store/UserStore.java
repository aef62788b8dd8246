package io.touchpoint.core.store;

import io.touchpoint.core.model.User;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Dashboard users, their password hashes (PHC strings, see {@link io.touchpoint.core.users.Passwords}) and their
 * one-time invitation or reset links, kept as SHA-256 hashes of the link's token. A change that must end a user's
 * dashboard sessions (a new password, removal) ends them in the same transaction.
 */
public interface UserStore {
    /** @throws DuplicateNameException when a user already has this e-mail */
    void create(User user);

    Optional<User> byId(String userId);

    /** By e-mail, compared lower-cased. */
    Optional<User> byEmail(String email);

    /** Every user, oldest first. */
    List<User> list();

    /** Replaces the user's role and workspaces; false when no such user. */
    boolean updateAccess(User user);

    /** The user's password hash; empty when there is no such user or they have none yet. */
    Optional<String> passwordHash(String userId);

    /** Removes the user with its links and sessions; false when no such user. */
    boolean delete(String userId);

    /** Gives the user a new one-time link, replacing the one they had. */
    void putLink(String userId, String tokenHash, Instant expiresAt);

    /**
     * Uses a one-time link: when it exists and has not expired at {@code now}, it is deleted, the user's password is
     * set to {@code passwordHash}, their other sessions end, and their id is answered; all in one transaction, so a
     * link is used once even across processes.
     */
    Optional<String> redeemLink(String tokenHash, String passwordHash, Instant now);

    /** Deletes the links that expired before {@code now}; answers how many. */
    int deleteExpiredLinks(Instant now);
}
