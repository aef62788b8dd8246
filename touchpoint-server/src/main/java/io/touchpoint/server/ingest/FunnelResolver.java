package io.touchpoint.server.ingest;

import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.StorableText;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.http.ApiException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the funnel and workspace a funnel mark selects. Like API tokens, lookups are cached briefly:
 * a revocation made through this server clears the cache at once, one made elsewhere counts within
 * {@link #CACHE_TTL}.
 */
public final class FunnelResolver {
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    private static final int MAX_CACHE = 10_000;
    private final Store store;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public record Resolved(Funnel funnel, Workspace workspace) {
    }

    private record Cached(Optional<Resolved> resolved, long expiresAtNanos) {
    }

    public FunnelResolver(Store store) {
        this.store = store;
    }

    /** The {@code funnel_mark} of an Able payload, stripped; 422 when it is missing, blank or not a string. */
    static String mark(Map<String, Object> body) {
        Object rawMark = body.get("funnel_mark");
        if (!(rawMark instanceof String mark) || mark.isBlank()) {
            throw ApiException.validation(List.of(rawMark == null || rawMark instanceof String // blank is absent
                    ? new FieldError("funnel_mark", FieldError.MISSING, "funnel_mark is required")
                    : new FieldError("funnel_mark", FieldError.INVALID_TYPE, "funnel_mark must be a string")));
        }
        return mark.strip();
    }

    /** The live funnel of this mark; 401 naming {@code funnel_mark} when it is unknown or revoked. */
    public Resolved resolve(String mark) {
        long now = System.nanoTime();
        Cached c = cache.get(mark);
        if (c == null || c.expiresAtNanos() - now <= 0) {
            // a mark no store can hold names no funnel; asking PostgreSQL for it would fail rather than find nothing
            Optional<Resolved> found = !StorableText.storable(mark) ? Optional.empty()
                    : store.funnels().byMark(mark).flatMap(f -> store.workspaces().byId(f.workspaceId()).map(w -> new Resolved(f, w)));
            c = new Cached(found, now + CACHE_TTL.toNanos());
            if (cache.size() >= MAX_CACHE) cache.clear();
            cache.put(mark, c);
        }
        Resolved r = c.resolved().orElseThrow(() -> new ApiException(401, "authentication_error", "funnel_mark_invalid",
                "no funnel has this funnel_mark; copy it from `touchpoint funnel list WORKSPACE`", "funnel_mark", null, null));
        if (r.funnel().revoked()) {
            throw new ApiException(401, "authentication_error", "funnel_mark_revoked", "this funnel_mark was revoked",
                    "funnel_mark", null, null);
        }
        return r;
    }

    public void invalidate() {
        cache.clear();
    }
}
