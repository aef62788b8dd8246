package io.touchpoint.storage.jdbc.admin;

import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.store.TokenStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

public final class JdbcTokenStore implements TokenStore {
    private static final String COLUMNS =
            "id, workspace_id, name, prefix, scopes, created_at, last_used_at, revoked_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM api_tokens ";
    private final JdbcDatabase db;

    public JdbcTokenStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(ApiToken t, String secretHash) {
        Sql.update(db, "INSERT INTO api_tokens (" + COLUMNS + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.workspaceId(), t.name(), t.prefix(), scopes(t.scopes()), t.createdAt(), t.lastUsedAt(),
                t.revokedAt(), secretHash);
    }

    @Override
    public Optional<ApiToken> byHash(String secretHash) {
        return Sql.one(db, SELECT + "WHERE secret_hash = ?", JdbcTokenStore::map, secretHash);
    }

    @Override
    public Optional<ApiToken> byId(String tokenId) {
        return Sql.one(db, SELECT + "WHERE id = ?", JdbcTokenStore::map, tokenId);
    }

    @Override
    public List<ApiToken> list(String workspaceId) {
        return Sql.list(db, SELECT + "WHERE workspace_id = ? ORDER BY created_at, id", JdbcTokenStore::map, workspaceId);
    }

    @Override
    public boolean revoke(String tokenId, Instant at) {
        return Sql.update(db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, tokenId) == 1;
    }

    @Override
    public void touch(Map<String, Instant> lastUsedByTokenId) {
        if (lastUsedByTokenId.isEmpty()) return;
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? "
                    + "WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
                for (var e : lastUsedByTokenId.entrySet()) {
                    Rows.setParams(ps, e.getValue(), e.getKey(), e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static String scopes(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wireName).sorted().collect(Collectors.joining(","));
    }

    private static ApiToken map(ResultSet rs) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : rs.getString("scopes").split(",")) {
            if (!s.isBlank()) Scope.fromWireName(s).ifPresent(scopes::add);
        }
        return new ApiToken(rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"),
                rs.getString("prefix"), scopes, Rows.instant(rs, "created_at"), Rows.instant(rs, "last_used_at"),
                Rows.instant(rs, "revoked_at"));
    }
}
