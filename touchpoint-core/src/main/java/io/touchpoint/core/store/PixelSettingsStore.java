package io.touchpoint.core.store;

import io.touchpoint.core.model.PixelSettings;

/** Per-workspace pixel settings: origin allow-list and the workspace's own domains. */
public interface PixelSettingsStore {
    /** The workspace's settings, or {@link PixelSettings#DEFAULTS} when none were set. */
    PixelSettings get(String workspaceId);

    /** Replaces the workspace's settings. */
    void put(String workspaceId, PixelSettings settings);
}
