package io.touchpoint.core.store;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;

import java.util.List;
import java.util.Optional;

public interface WorkspaceStore {
    /** @throws DuplicateNameException when the name is taken */
    void create(Workspace workspace);

    Optional<Workspace> byId(String id);

    Optional<Workspace> byName(String name);

    Optional<Workspace> byPixelKey(String pixelKey);

    List<Workspace> list();

    /** Replaces the workspace's settings; false when there is no workspace with this id. */
    boolean updateSettings(String workspaceId, WorkspaceSettings settings);

    /** By id, then by name: what command-line and admin arguments accept. */
    default Optional<Workspace> byIdOrName(String idOrName) {
        return byId(idOrName).or(() -> byName(idOrName));
    }
}
