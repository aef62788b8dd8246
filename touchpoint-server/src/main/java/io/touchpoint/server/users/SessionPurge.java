package io.touchpoint.server.users;

import io.touchpoint.core.users.Users;
import io.touchpoint.server.http.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Deletes expired dashboard sessions and unused expired links from the store, run every {@link #INTERVAL} by the
 * server's upkeep, so neither table grows with every sign-in ever made. Any process may do it; several doing it at
 * once delete nothing twice.
 */
public final class SessionPurge {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPurge.class);
    public static final Duration INTERVAL = Duration.ofMinutes(10);
    private final Sessions sessions;
    private final Users users;

    public SessionPurge(Sessions sessions, Users users) {
        this.sessions = sessions;
        this.users = users;
    }

    public void purge() {
        int s = sessions.purgeExpired();
        int l = users.purgeExpiredLinks();
        if (s + l > 0) LOG.debug("purged {} expired sessions and {} expired links", s, l);
    }
}
