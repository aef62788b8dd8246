package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.User;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bearer-token authentication, and the dashboard's session cookie wherever the administrator is accepted
 * (never on ingest routes). A cookie-authenticated change must carry the session's CSRF token in
 * {@value #CSRF_HEADER}; a bearer-authenticated one needs none, since a browser never adds that header
 * on its own. Lookups are cached briefly (revocations through this server drop the cache
 * at once; those made by another process take effect within {@link #CACHE_TTL}), and last-use times are
 * gathered in memory for the ingest writer to store in bulk instead of a write per request.
 */
public final class Authenticator {
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    private static final int MAX_CACHE = 10_000;
    private final Store store;
    private final Clock clock;
    private final Supplier<Optional<String>> adminHash;
    private final Sessions sessions;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    /**
     * Who is calling: a workspace token (its scopes say what it may do), the administrator credential (by bearer token
     * or its dashboard session: owner of every workspace), or a signed-in dashboard user (their role in each of their
     * workspaces says what they may do).
     */
    public record Principal(Workspace workspace, ApiToken token, boolean admin, User user) {
        static final Principal ADMINISTRATOR = new Principal(null, null, true, null);

        /** Scopes bound tokens; a person's role decides the rest ({@link #roleIn}). */
        public boolean has(Scope scope) {
            return admin || user != null || token.scopes().contains(scope);
        }

        /** The caller's role in the workspace: the administrator owns every one, a token holds none. */
        public Optional<Role> roleIn(String workspaceId) {
            if (admin) return Optional.of(Role.OWNER);
            return user == null ? Optional.empty() : user.roleIn(workspaceId);
        }

        /** Whether the caller's role holds in every workspace, those created later included. */
        public boolean everyWorkspace() {
            return admin || user != null && user.allWorkspaces();
        }

        /** Whether the caller owns every workspace: may create workspaces and manage users. */
        public boolean ownsEverything() {
            return admin || user != null && user.ownsEverything();
        }

        /** Who this is, in a few characters for logs and records: "administrator", "user:ID" or "token:ID". */
        public String label() {
            if (admin) return "administrator";
            return user != null ? "user:" + user.id() : "token:" + token.id();
        }
    }

    private record Cached(Optional<ApiToken> token, Optional<Workspace> workspace, long expiresAtNanos) {
    }

    public static final String SESSION_COOKIE = "tp_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** How the administrator came in, as the audit log names it. */
    public static final Actor BY_TOKEN = Actor.administrator("administrator token");
    public static final Actor BY_SESSION = Actor.administrator("dashboard session");
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS");

    /** Refused credentials one client address may present a minute before it is answered 429, as on ingest. */
    public static final int REFUSALS_PER_MINUTE = 600;
    private final RateLimiter refusals;
    private final Function<Context, String> clientIp;

    /**
     * @param refusals counts refused credentials per client address
     * @param clientIp the client's address (behind a trusted proxy, the one it names)
     */
    public Authenticator(Store store, Clock clock, Supplier<Optional<String>> adminHash, Sessions sessions,
                         RateLimiter refusals, Function<Context, String> clientIp) {
        this.store = store;
        this.clock = clock;
        this.adminHash = adminHash;
        this.sessions = sessions;
        this.refusals = refusals;
        this.clientIp = clientIp;
    }

    /** The caller's workspace token; 401 for a missing, malformed, unknown or revoked token. */
    public Principal workspaceToken(Context ctx) {
        try {
            return workspaceTokenOf(ctx);
        } catch (ApiException e) {
            throw counted(ctx, e);
        }
    }

    /**
     * A refused credential counts against the client's address (IPv6: its /64); past {@link #REFUSALS_PER_MINUTE}
     * the answer is 429, so tokens cannot be guessed at the speed of the network. A valid credential is never held
     * up, whatever others on the same address did.
     */
    private ApiException counted(Context ctx, ApiException e) {
        if (e.status() != 401) return e;
        RateLimiter.Decision d = refusals.check("refused:" + SignInThrottle.key(clientIp.apply(ctx)), REFUSALS_PER_MINUTE,
                clock.millis());
        if (d.allowed()) return e;
        return new ApiException(429, "rate_limit_error", "rate_limited", "too many requests with a refused credential "
                + "from this address; retry after " + d.retryAfterSeconds() + " s", null, null,
                Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
    }

    private Principal workspaceTokenOf(Context ctx) {
        Cached c = lookup(bearer(ctx));
        if (c.token().isEmpty() || c.workspace().isEmpty()) {
            throw ApiException.authentication("token_invalid", "the API token is not valid");
        }
        ApiToken t = c.token().get();
        if (t.revoked()) throw ApiException.authentication("token_revoked", "the API token was revoked");
        lastUsed.put(t.id(), clock.instant());
        io.touchpoint.server.http.RequestTelemetry.workspace(ctx, c.workspace().get().id());
        RequestAudit.actor(ctx, Actor.token(t));
        return new Principal(c.workspace().get(), t, false, null);
    }

    /** The administrator, a signed-in user, or a workspace token: for endpoints that accept all three. */
    public Principal adminOrWorkspaceToken(Context ctx) {
        try {
            if (usesSession(ctx)) return sessionPrincipal(ctx);
            String secret = bearer(ctx);
            if (isAdminSecret(secret)) return administrator(ctx, BY_TOKEN);
            return workspaceTokenOf(ctx);
        } catch (ApiException e) {
            throw counted(ctx, e);
        }
    }

    /**
     * The administrator (by bearer token or dashboard session) or a signed-in user (by dashboard session), with the
     * CSRF check on changes made with the session cookie. What the caller may do is for {@link AdminAccess} to decide.
     */
    public Principal adminOrUser(Context ctx) {
        try {
            if (usesSession(ctx)) return sessionPrincipal(ctx);
            String secret = bearer(ctx);
            if (isAdminSecret(secret)) return administrator(ctx, BY_TOKEN);
            throw ApiException.authentication("admin_token_invalid", "this endpoint needs the administrator token");
        } catch (ApiException e) {
            throw counted(ctx, e);
        }
    }

    public static void requireScope(Principal p, Scope scope) {
        if (!p.has(scope)) {
            throw ApiException.permission("insufficient_scope", "this token lacks the '" + scope.wireName()
                    + "' scope; create one with `touchpoint token create WORKSPACE --scope " + scope.wireName() + "`");
        }
    }

    /** Whether {@code secret} is the administrator credential (compared by hash, in constant time). */
    public boolean isAdminSecret(String secret) {
        return adminHash.get().map(h -> Secrets.equalHashes(h, Secrets.sha256Hex(secret))).orElse(false);
    }

    /** Opens a dashboard session for the administrator credential in force now. */
    public Sessions.Opened openAdministratorSession() {
        return sessions.openForAdministrator(adminHash.get()
                .orElseThrow(() -> new IllegalStateException("no administrator credential")));
    }

    /** Opens a dashboard session for a user whose identity has been proved (password, or single sign-on). */
    public Sessions.Opened openSession(User user) {
        return sessions.openFor(user);
    }

    /** Forgets the sessions and users this process read, after a change to users made through it. */
    public void forgetSessions() {
        sessions.forget();
    }

    public void closeSession(Context ctx) {
        sessions.close(ctx.cookie(SESSION_COOKIE));
    }

    /** An Authorization header wins over a cookie; the cookie counts only when there is none. */
    private static boolean usesSession(Context ctx) {
        String h = ctx.header("Authorization");
        return (h == null || h.isBlank()) && ctx.cookie(SESSION_COOKIE) != null;
    }

    private Principal sessionPrincipal(Context ctx) {
        Sessions.Session s = session(ctx);
        if (!SAFE_METHODS.contains(ctx.method().name()) && !s.csrfMatches(ctx.header(CSRF_HEADER))) {
            throw ApiException.permission("csrf_token_invalid", "a change made with the dashboard session cookie "
                    + "must carry the session's CSRF token in the " + CSRF_HEADER + " header");
        }
        if (s.user() == null) return administrator(ctx, BY_SESSION);
        RequestAudit.actor(ctx, Actor.user(s.user().id(), s.user().email()));
        return new Principal(null, null, false, s.user());
    }

    /** The administrator as the request's actor (for its audit entry), come in {@code how}. */
    private static Principal administrator(Context ctx, Actor how) {
        RequestAudit.actor(ctx, how);
        return Principal.ADMINISTRATOR;
    }

    /**
     * The live session named by the request's cookie; 401 {@code session_invalid} when there is none, it
     * expired, was signed out, its user was removed or given a new password, or (an administrator's session) the
     * administrator credential changed since it was opened.
     */
    public Sessions.Session session(Context ctx) {
        String id = ctx.cookie(SESSION_COOKIE);
        Optional<Sessions.Session> s = sessions.find(id);
        Optional<String> current = adminHash.get();
        boolean adminGone = s.isPresent() && s.get().user() == null
                && (current.isEmpty() || !Secrets.equalHashes(s.get().adminHash(), current.get()));
        if (s.isEmpty() || adminGone) {
            if (s.isPresent()) sessions.close(id);
            throw ApiException.authentication("session_invalid",
                    "no valid dashboard session: it expired, was signed out, or its credential changed; sign in again");
        }
        RequestAudit.actor(ctx, BY_SESSION);
        return s.get();
    }

    /** Forgets cached lookups, e.g. after a revocation through this server. */
    public void invalidate() {
        cache.clear();
    }

    /** Last-use times gathered since the previous call, for the store. */
    public Map<String, Instant> drainLastUsed() {
        Map<String, Instant> out = new HashMap<>();
        for (String id : lastUsed.keySet()) {
            Instant t = lastUsed.remove(id);
            if (t != null) out.put(id, t);
        }
        return out;
    }

    /** Keyed by the secret itself, so a cached token costs no hashing: the store only ever sees the hash. */
    private Cached lookup(String secret) {
        long now = System.nanoTime();
        Cached c = cache.get(secret);
        if (c != null && c.expiresAtNanos() - now > 0) return c;
        Optional<ApiToken> token = store.tokens().byHash(Secrets.sha256Hex(secret));
        Optional<Workspace> ws = token.flatMap(t -> store.workspaces().byId(t.workspaceId()));
        Cached fresh = new Cached(token, ws, now + CACHE_TTL.toNanos());
        if (cache.size() >= MAX_CACHE) cache.clear(); // unknown tokens must not grow it without bound
        cache.put(secret, fresh);
        return fresh;
    }

    static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || h.isBlank()) {
            throw ApiException.authentication("token_missing",
                    "missing API token: send the header 'Authorization: Bearer <token>'");
        }
        String[] parts = h.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].length() > 200) {
            throw ApiException.authentication("token_malformed",
                    "malformed Authorization header: expected 'Bearer <token>'");
        }
        return parts[1];
    }
}
