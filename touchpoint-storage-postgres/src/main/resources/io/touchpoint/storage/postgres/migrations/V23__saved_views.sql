-- Schema version 23: saved views. A named set of a report page's parameters (its query string, kept as the
-- dashboard wrote it, so parameters a report gains later are kept too), shared by everyone in the workspace.
CREATE TABLE saved_views (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    page         TEXT NOT NULL,
    name         TEXT NOT NULL,
    query        TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (workspace_id, page, name)
);
