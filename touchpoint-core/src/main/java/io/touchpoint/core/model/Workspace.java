package io.touchpoint.core.model;

import java.time.Instant;

/** A tenant. Nothing ever crosses workspaces. */
public record Workspace(String id, String name, String pixelKey, Instant createdAt, WorkspaceSettings settings) {
}
