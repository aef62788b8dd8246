package io.touchpoint.core.store;

import io.touchpoint.core.model.ApiToken;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** API tokens, stored as SHA-256 hashes of the secret (see {@link io.touchpoint.core.auth.Secrets}). */
public interface TokenStore {
    void create(ApiToken token, String secretHash);

    Optional<ApiToken> byHash(String secretHash);

    Optional<ApiToken> byId(String tokenId);

    List<ApiToken> list(String workspaceId);

    /** @return false when no such token exists or it was already revoked */
    boolean revoke(String tokenId, Instant at);

    /** Records last use, batched by the caller; a later time never goes backwards. */
    void touch(Map<String, Instant> lastUsedByTokenId);
}
