-- Schema version 4: per-workspace pixel settings. allowed_origins: the origins /collect accepts beacons
-- from, one per line (none: any origin). domains: the workspace's own domains, whose links the pixel
-- decorates with the visitor token, one per line.
CREATE TABLE pixel_settings (
    workspace_id    TEXT PRIMARY KEY REFERENCES workspaces (id),
    allowed_origins TEXT NOT NULL,
    domains         TEXT NOT NULL
);
