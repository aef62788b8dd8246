package io.touchpoint.server.http;

import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.model.User;
import io.touchpoint.core.store.SessionStore;
import io.touchpoint.core.store.SessionStore.StoredSession;
import io.touchpoint.core.store.UserStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sign-in sessions, kept in the store: they survive a restart and every process on the same store knows
 * them, so a dashboard works behind a load balancer. Only the SHA-256 of a session id is stored, so neither the
 * database nor a heap dump yields a usable cookie. A session lasts {@link #LIFETIME} from sign-in, however active it
 * is, and ends early when it is signed out, its user is removed or given a new password, or (the administrator's)
 * the administrator credential changes. What a process read of a session and its user is trusted for
 * {@link #CACHE_TTL}: a change made through this process applies at once, one made through another within that time.
 */
public final class Sessions {
    /** Absolute lifetime of a session; the cookie's Max-Age says the same. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    private static final int MAX_CACHE = 10_000;
    private final SessionStore store;
    private final UserStore users;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * One open session: its CSRF token, its end, and whose it is: a user's (as the store had them when last read),
     * or the administrator credential's (the hash of the credential that opened it).
     */
    public record Session(String csrfToken, Instant expiresAt, String adminHash, User user) {
        /** Constant-time check of a request's {@code X-CSRF-Token}. */
        public boolean csrfMatches(String presented) {
            return presented != null && Secrets.equalHashes(Secrets.sha256Hex(presented), Secrets.sha256Hex(csrfToken));
        }
    }

    /** A new session with its id, which only its cookie carries from now on. */
    public record Opened(String id, Session session) {
    }

    private record Cached(Optional<Session> session, long expiresAtNanos) {
    }

    public Sessions(SessionStore store, UserStore users, Clock clock) {
        this.store = store;
        this.users = users;
        this.clock = clock;
    }

    /** A session for the administrator credential whose hash is given. */
    public Opened openForAdministrator(String adminHash) {
        return open(null, adminHash);
    }

    /** A session for a user who has just proved who they are. */
    public Opened openFor(User user) {
        return open(user, null);
    }

    private Opened open(User user, String adminHash) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = "tps_" + Secrets.random(43); // ~256 random bits
        Session s = new Session(Secrets.random(43), now.plus(LIFETIME), adminHash, user);
        store.create(new StoredSession(Secrets.sha256Hex(id), s.csrfToken(), now, s.expiresAt(),
                user == null ? null : user.id(), adminHash));
        return new Opened(id, s);
    }

    /** The live session with this id: not expired, and its user still there with a password. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 200) return Optional.empty();
        String key = Secrets.sha256Hex(id);
        long nanos = System.nanoTime();
        Cached c = cache.get(key);
        if (c == null || c.expiresAtNanos() - nanos <= 0) {
            c = new Cached(load(key), nanos + CACHE_TTL.toNanos());
            if (cache.size() >= MAX_CACHE) cache.clear(); // unknown cookies must not grow it without bound
            cache.put(key, c);
        }
        return c.session().filter(s -> clock.instant().isBefore(s.expiresAt()));
    }

    private Optional<Session> load(String idHash) {
        Optional<StoredSession> stored = store.byIdHash(idHash);
        if (stored.isEmpty()) return Optional.empty();
        StoredSession s = stored.get();
        if (s.userId() == null) return Optional.of(new Session(s.csrfToken(), s.expiresAt(), s.adminHash(), null));
        return users.byId(s.userId()).filter(User::active).map(u -> new Session(s.csrfToken(), s.expiresAt(), null, u));
    }

    public void close(String id) {
        if (id == null) return;
        String key = Secrets.sha256Hex(id);
        store.delete(key);
        cache.remove(key);
    }

    /** Forgets what this process read, after a change to users made through it. */
    public void forget() {
        cache.clear();
    }

    /** Deletes the expired sessions from the store; answers how many. */
    public int purgeExpired() {
        return store.deleteExpired(clock.instant());
    }
}
