package io.touchpoint.core.admin;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** Workspace and token management, shared by the command line and the admin API. */
public final class Workspaces {
    /** Secrets start with this so they are recognisable in logs and secret scanners. */
    public static final String TOKEN_PREFIX = "tp_";
    private static final int TOKEN_RANDOM_CHARS = 40; // ≈ 238 bits
    private static final int VISIBLE_PREFIX_CHARS = TOKEN_PREFIX.length() + 8;
    private final Store store;
    private final Clock clock;

    public Workspaces(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public CreatedWorkspace create(String name, WorkspaceSettings settings) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 100) {
            throw new IllegalArgumentException("a workspace name must have 1 to 100 characters");
        }
        Workspace w = new Workspace(Ids.workspace(), clean, "px_" + Secrets.random(24), now(), settings);
        store.workspaces().create(w);
        CreatedToken token = createToken(w.id(), "default", Scope.ALL);
        return new CreatedWorkspace(w, token);
    }

    public List<Workspace> list() {
        return store.workspaces().list();
    }

    /** By id or by name. */
    public Workspace require(String idOrName) {
        return store.workspaces().byIdOrName(idOrName)
                .orElseThrow(() -> new NotFoundException("no workspace with id or name '" + idOrName + "'"));
    }

    /** Replaces a workspace's settings; answers the workspace as it is now. */
    public Workspace updateSettings(String workspaceIdOrName, WorkspaceSettings settings) {
        Workspace w = require(workspaceIdOrName);
        if (!store.workspaces().updateSettings(w.id(), settings)) {
            throw new NotFoundException("no workspace with id or name '" + workspaceIdOrName + "'");
        }
        return new Workspace(w.id(), w.name(), w.pixelKey(), w.createdAt(), settings);
    }

    public CreatedToken createToken(String workspaceIdOrName, String name, Set<Scope> scopes) {
        if (scopes.isEmpty()) throw new IllegalArgumentException("a token needs at least one scope");
        Workspace w = require(workspaceIdOrName);
        String secret = TOKEN_PREFIX + Secrets.random(TOKEN_RANDOM_CHARS);
        ApiToken token = new ApiToken(Ids.token(), w.id(), name == null || name.isBlank() ? null : name.strip(),
                secret.substring(0, VISIBLE_PREFIX_CHARS), scopes, now(), null, null);
        store.tokens().create(token, Secrets.sha256Hex(secret));
        return new CreatedToken(token, secret);
    }

    public PixelSettings pixelSettings(String workspaceIdOrName) {
        return store.pixelSettings().get(require(workspaceIdOrName).id());
    }

    /**
     * Replaces the pixel settings a caller names; a null list keeps the current value.
     * @throws IllegalArgumentException when an origin or domain is malformed
     */
    public PixelSettings updatePixelSettings(String workspaceIdOrName, List<String> allowedOrigins, List<String> domains) {
        return updatePixelSettings(workspaceIdOrName, allowedOrigins, domains, null);
    }

    /**
     * As {@link #updatePixelSettings(String, List, List)}, with the server-set cookie's domains.
     * @throws IllegalArgumentException when an origin, domain or cookie domain is malformed
     */
    public PixelSettings updatePixelSettings(String workspaceIdOrName, List<String> allowedOrigins, List<String> domains,
                                             List<String> cookieDomains) {
        Workspace w = require(workspaceIdOrName);
        PixelSettings current = store.pixelSettings().get(w.id());
        PixelSettings next = new PixelSettings(allowedOrigins == null ? current.allowedOrigins() : allowedOrigins,
                domains == null ? current.domains() : domains,
                cookieDomains == null ? current.cookieDomains() : cookieDomains);
        store.pixelSettings().put(w.id(), next);
        return next;
    }

    public List<ApiToken> tokens(String workspaceIdOrName) {
        return store.tokens().list(require(workspaceIdOrName).id());
    }

    public ApiToken token(String tokenId) {
        return store.tokens().byId(tokenId).orElseThrow(() -> new NotFoundException("no token with id '" + tokenId + "'"));
    }

    /**
     * @param workspaceId when not null, the token must belong to this workspace
     * @return the revoked token
     */
    public ApiToken revoke(String tokenId, String workspaceId) {
        ApiToken t = store.tokens().byId(tokenId)
                .filter(x -> workspaceId == null || x.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("no token with id '" + tokenId + "'"));
        store.tokens().revoke(t.id(), now());
        return store.tokens().byId(t.id()).orElse(t);
    }

    /** A new funnel with a fresh mark (48 random characters, ≈ 285 bits). */
    public Funnel createFunnel(String workspaceIdOrName, String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 100) {
            throw new IllegalArgumentException("a funnel name must have 1 to 100 characters");
        }
        Workspace w = require(workspaceIdOrName);
        Funnel f = new Funnel(Ids.funnel(), w.id(), clean, "fm_" + Secrets.random(48), now(), null);
        store.funnels().create(f);
        return f;
    }

    public List<Funnel> funnels(String workspaceIdOrName) {
        return store.funnels().list(require(workspaceIdOrName).id());
    }

    public Funnel funnel(String funnelId) {
        return store.funnels().byId(funnelId).orElseThrow(() -> new NotFoundException("no funnel with id '" + funnelId + "'"));
    }

    /**
     * @param workspaceId when not null, the funnel must belong to this workspace
     * @return the revoked funnel
     */
    public Funnel revokeFunnel(String funnelId, String workspaceId) {
        Funnel f = store.funnels().byId(funnelId)
                .filter(x -> workspaceId == null || x.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("no funnel with id '" + funnelId + "'"));
        store.funnels().revoke(f.id(), now());
        return store.funnels().byId(f.id()).orElse(f);
    }

    /** Milliseconds: what the stores keep, so an answer at creation equals the same thing read back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
