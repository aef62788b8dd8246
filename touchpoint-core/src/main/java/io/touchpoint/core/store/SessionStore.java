package io.touchpoint.core.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Dashboard sessions, kept in the store so that they survive a restart and every process behind a load balancer
 * knows them. Only the SHA-256 of a session's id is stored: the id itself travels in the cookie alone.
 */
public interface SessionStore {
    /**
     * One session: a user's ({@code userId}), or the administrator credential's ({@code adminHash}, the hash of the
     * credential it was opened with, so that it ends when the credential changes); exactly one of the two is set.
     */
    record StoredSession(String idHash, String csrfToken, Instant createdAt, Instant expiresAt, String userId,
                         String adminHash) {
        public StoredSession {
            if ((userId == null) == (adminHash == null)) {
                throw new IllegalArgumentException("a session belongs to a user or to the administrator credential");
            }
        }
    }

    void create(StoredSession session);

    Optional<StoredSession> byIdHash(String idHash);

    /** @return false when there was no such session */
    boolean delete(String idHash);

    /** Ends every session of the user; answers how many. */
    int deleteOfUser(String userId);

    /** Deletes the sessions expired at {@code now}; answers how many. */
    int deleteExpired(Instant now);
}
