package io.touchpoint.core.store;

import io.touchpoint.core.views.SavedView;

import java.util.List;
import java.util.Optional;

/** Saved views of report pages, per workspace: named query strings the dashboard lists and applies. */
public interface SavedViewStore {
    /** The workspace's views of one page, by name. */
    List<SavedView> list(String workspaceId, String page);

    Optional<SavedView> byId(String workspaceId, String id);

    /**
     * Stores the view; a view of the same page and name in the workspace is replaced (its id kept, its query, author
     * and time taken from {@code view}). Returns what is stored.
     */
    SavedView save(SavedView view);

    /** @return false when the workspace has no such view */
    boolean delete(String workspaceId, String id);
}
