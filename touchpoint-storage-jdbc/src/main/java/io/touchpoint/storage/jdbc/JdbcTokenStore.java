package io.touchpoint.storage.jdbc;

import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.store.TokenStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

final class JdbcTokenStore implements TokenStore {
    private static final String COLUMNS =
            "id, workspace_id, name, prefix, scopes, created_at, last_used_at, revoked_at";
    private final JdbcDatabase db;

    JdbcTokenStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(ApiToken t, String secretHash) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (" + COLUMNS
                    + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Rows.setParams(ps, t.id(), t.workspaceId(), t.name(), t.prefix(), scopes(t.scopes()), t.createdAt(),
                        t.lastUsedAt(), t.revokedAt(), secretHash);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiToken> byHash(String secretHash) {
        return one("secret_hash", secretHash);
    }

    @Override
    public Optional<ApiToken> byId(String tokenId) {
        return one("id", tokenId);
    }

    @Override
    public List<ApiToken> list(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM api_tokens WHERE workspace_id = ? ORDER BY created_at, id")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<ApiToken> out = new ArrayList<>();
                    while (rs.next()) out.add(map(rs));
                    return out;
                }
            }
        });
    }

    @Override
    public boolean revoke(String tokenId, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Rows.setParams(ps, at, tokenId);
                return ps.executeUpdate() == 1;
            }
        });
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

    private Optional<ApiToken> one(String column, String value) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens WHERE " + column + " = ?")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
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
