package io.touchpoint.core.views;

import java.time.Instant;
import java.util.Objects;

/**
 * A named view of a report page: the page's query string (without the workspace), so that applying it sets every
 * parameter the page had, those added to reports later included.
 *
 * @param page      the dashboard page the view belongs to, e.g. {@code attribution}
 * @param createdBy who saved it, as audit entries name callers ("user:ID", "administrator")
 */
public record SavedView(String id, String workspaceId, String page, String name, String query, String createdBy,
                        Instant createdAt) {
    public static final int MAX_NAME = 100;
    public static final int MAX_QUERY = 4000;

    public SavedView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
