package io.touchpoint.server.users;

import io.touchpoint.core.users.Users;
import io.touchpoint.server.http.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes expired dashboard sessions and unused expired links from the store every {@link #INTERVAL}, so neither
 * table grows with every sign-in ever made. Any process may do it; several doing it at once delete nothing twice.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    public static final Duration INTERVAL = Duration.ofMinutes(10);
    private final Sessions sessions;
    private final Users users;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "touchpoint-session-purge");
        t.setDaemon(true);
        return t;
    });

    public Housekeeping(Sessions sessions, Users users) {
        this.sessions = sessions;
        this.users = users;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::purge, INTERVAL.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    /** One round; a failure (the store briefly away) is logged and the next round tries again. */
    public void purge() {
        try {
            int s = sessions.purgeExpired();
            int l = users.purgeExpiredLinks();
            if (s + l > 0) LOG.debug("purged {} expired sessions and {} expired links", s, l);
        } catch (RuntimeException e) {
            LOG.warn("could not purge expired sessions: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
