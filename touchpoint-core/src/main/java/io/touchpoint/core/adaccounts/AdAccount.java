package io.touchpoint.core.adaccounts;

import java.time.Instant;
import java.util.Map;

/**
 * A workspace's connection to one ad account. {@code settings} are the plain ones; the secret ones (tokens) are in
 * {@code sealedSecrets}, opened only by the sync. {@code lastSync} is how the last sync went.
 */
public record AdAccount(String id, String workspaceId, AdPlatform platform, String name, String accountId,
                        Map<String, String> settings, String sealedSecrets, boolean enabled, Instant createdAt,
                        Instant updatedAt, SyncState lastSync) {
    public AdAccount {
        settings = Map.copyOf(settings);
    }

    public String setting(String key) {
        return settings.get(key);
    }

    public AdAccount withSync(SyncState sync) {
        return new AdAccount(id, workspaceId, platform, name, accountId, settings, sealedSecrets, enabled, createdAt,
                updatedAt, sync);
    }
}
