-- Schema version 2: funnels of the Able dialect; a funnel's mark selects its workspace.
CREATE TABLE funnels (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name         TEXT NOT NULL,
    mark         TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX funnels_workspace ON funnels (workspace_id);
