package io.touchpoint.core.admin;

import io.touchpoint.core.model.Workspace;

/** A new workspace and its first token (scopes ingest and read). */
public record CreatedWorkspace(Workspace workspace, CreatedToken token) {
}
