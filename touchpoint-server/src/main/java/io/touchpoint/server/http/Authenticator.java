package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Bearer-token authentication. Lookups are cached briefly (revocations through this server drop the cache
 * at once; those made by another process take effect within {@link #CACHE_TTL}), and last-use times are
 * gathered in memory for the ingest writer to store in bulk instead of a write per request.
 */
public final class Authenticator {
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    private static final int MAX_CACHE = 10_000;
    private final Store store;
    private final Clock clock;
    private final Supplier<Optional<String>> adminHash;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    /** Who is calling: a workspace token, or the administrator. */
    public record Principal(Workspace workspace, ApiToken token, boolean admin) {
        public boolean has(Scope scope) {
            return admin || token.scopes().contains(scope);
        }
    }

    private record Cached(Optional<ApiToken> token, Optional<Workspace> workspace, long expiresAtNanos) {
    }

    public Authenticator(Store store, Clock clock, Supplier<Optional<String>> adminHash) {
        this.store = store;
        this.clock = clock;
        this.adminHash = adminHash;
    }

    /** The caller's workspace token; 401 for a missing, malformed, unknown or revoked token. */
    public Principal workspaceToken(Context ctx) {
        Cached c = lookup(bearer(ctx));
        if (c.token().isEmpty() || c.workspace().isEmpty()) {
            throw ApiException.authentication("token_invalid", "the API token is not valid");
        }
        ApiToken t = c.token().get();
        if (t.revoked()) throw ApiException.authentication("token_revoked", "the API token was revoked");
        lastUsed.put(t.id(), clock.instant());
        return new Principal(c.workspace().get(), t, false);
    }

    /** The administrator, or a workspace token: for endpoints that accept both. */
    public Principal adminOrWorkspaceToken(Context ctx) {
        String secret = bearer(ctx);
        if (isAdminSecret(secret)) return new Principal(null, null, true);
        return workspaceToken(ctx);
    }

    public Principal admin(Context ctx) {
        String secret = bearer(ctx);
        if (isAdminSecret(secret)) return new Principal(null, null, true);
        throw ApiException.authentication("admin_token_invalid", "this endpoint needs the administrator token");
    }

    public static void requireScope(Principal p, Scope scope) {
        if (!p.has(scope)) {
            throw ApiException.permission("insufficient_scope", "this token lacks the '" + scope.wireName()
                    + "' scope; create one with `touchpoint token create WORKSPACE --scope " + scope.wireName() + "`");
        }
    }

    private boolean isAdminSecret(String secret) {
        return adminHash.get().map(h -> Secrets.equalHashes(h, Secrets.sha256Hex(secret))).orElse(false);
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
