package io.touchpoint.server.http;

import io.touchpoint.core.auth.Secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sign-in sessions, held in memory only: a restart signs every dashboard out (the administrator
 * signs in again). Only the SHA-256 of a session id is kept, so a heap dump yields no usable cookie. A
 * session lasts {@link #LIFETIME} from sign-in, however active it is, and ends early when the administrator
 * credential it was opened with changes.
 */
public final class Sessions {
    /** Absolute lifetime of a session; the cookie's Max-Age says the same. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** Open sessions are bounded: past this, the ones closest to expiry make room. */
    static final int MAX_SESSIONS = 10_000;
    private final Clock clock;
    private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();

    /** One open session: its CSRF token, its end, and the hash of the admin credential that opened it. */
    public record Session(String csrfToken, Instant expiresAt, String adminHash) {
        /** Constant-time check of a request's {@code X-CSRF-Token}. */
        public boolean csrfMatches(String presented) {
            return presented != null && Secrets.equalHashes(Secrets.sha256Hex(presented), Secrets.sha256Hex(csrfToken));
        }
    }

    /** A new session with its id, which only its cookie carries from now on. */
    public record Opened(String id, Session session) {
    }

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    public Opened open(String adminHash) {
        Instant now = clock.instant();
        if (byIdHash.size() >= MAX_SESSIONS) makeRoom(now);
        String id = "tps_" + Secrets.random(43); // ~256 random bits
        Session s = new Session(Secrets.random(43), now.plus(LIFETIME), adminHash);
        byIdHash.put(Secrets.sha256Hex(id), s);
        return new Opened(id, s);
    }

    /** The live session with this id; an expired one is forgotten on the way. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 200) return Optional.empty();
        String key = Secrets.sha256Hex(id);
        Session s = byIdHash.get(key);
        if (s == null) return Optional.empty();
        if (!clock.instant().isBefore(s.expiresAt())) {
            byIdHash.remove(key, s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void close(String id) {
        if (id != null) byIdHash.remove(Secrets.sha256Hex(id));
    }

    int size() {
        return byIdHash.size();
    }

    private void makeRoom(Instant now) {
        byIdHash.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        while (byIdHash.size() >= MAX_SESSIONS) {
            byIdHash.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expiresAt()))
                    .ifPresent(e -> byIdHash.remove(e.getKey(), e.getValue()));
        }
    }
}
