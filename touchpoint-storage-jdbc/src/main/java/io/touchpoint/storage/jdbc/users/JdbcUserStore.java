package io.touchpoint.storage.jdbc.users;

import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.User;
import io.touchpoint.core.store.DuplicateNameException;
import io.touchpoint.core.store.StoreException;
import io.touchpoint.core.store.UserStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Users and their one-time links; ending a user's sessions touches the sessions table of this room. */
public final class JdbcUserStore implements UserStore {
    private static final String ALL = "*";
    private static final String COLUMNS = "id, email, role, workspaces, created_at, password_set_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM users ";
    private final JdbcDatabase db;

    public JdbcUserStore(JdbcDatabase db) {
        this.db = db;
    }

    /** The unique e-mail index decides, so two processes inviting the same e-mail at once cannot both succeed. */
    @Override
    public void create(User u) {
        try {
            Sql.update(db, "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", u.id(), email(u.email()),
                    u.role().wireName(), workspaces(u), u.createdAt(), u.passwordSetAt());
        } catch (StoreException e) {
            if (Rows.isUniqueViolation(e) && byEmail(u.email()).isPresent()) {
                throw new DuplicateNameException("a user with the e-mail '" + email(u.email()) + "' exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<User> byId(String userId) {
        return Sql.one(db, SELECT + "WHERE id = ?", JdbcUserStore::map, userId);
    }

    @Override
    public Optional<User> byEmail(String email) {
        return Sql.one(db, SELECT + "WHERE email = ?", JdbcUserStore::map, email(email));
    }

    @Override
    public List<User> list() {
        return Sql.list(db, SELECT + "ORDER BY created_at, id", JdbcUserStore::map);
    }

    @Override
    public boolean updateAccess(User u) {
        return Sql.update(db, "UPDATE users SET role = ?, workspaces = ? WHERE id = ?", u.role().wireName(),
                workspaces(u), u.id()) == 1;
    }

    @Override
    public Optional<String> passwordHash(String userId) {
        return Sql.one(db, "SELECT password_hash FROM users WHERE id = ? AND password_hash IS NOT NULL",
                rs -> rs.getString(1), userId);
    }

    @Override
    public boolean delete(String userId) {
        return db.write(c -> {
            Rows.update(c, "DELETE FROM sessions WHERE user_id = ?", userId);
            Rows.update(c, "DELETE FROM user_links WHERE user_id = ?", userId);
            return Rows.update(c, "DELETE FROM users WHERE id = ?", userId) == 1;
        });
    }

    @Override
    public void putLink(String userId, String tokenHash, Instant expiresAt) {
        db.write(c -> {
            Rows.update(c, "DELETE FROM user_links WHERE user_id = ?", userId);
            return Rows.update(c, "INSERT INTO user_links (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                    tokenHash, userId, expiresAt);
        });
    }

    /** The DELETE decides: of two processes redeeming one link at once, only one deletes its row. */
    @Override
    public Optional<String> redeemLink(String tokenHash, String passwordHash, Instant now) {
        return db.write(c -> {
            List<String> users = Rows.strings(c, "SELECT user_id FROM user_links WHERE token_hash = ? AND expires_at > ?",
                    tokenHash, now);
            if (users.isEmpty() || Rows.update(c, "DELETE FROM user_links WHERE token_hash = ?", tokenHash) != 1) {
                return Optional.empty();
            }
            String userId = users.get(0);
            Rows.update(c, "DELETE FROM sessions WHERE user_id = ?", userId);
            int set = Rows.update(c, "UPDATE users SET password_hash = ?, password_set_at = ? WHERE id = ?",
                    passwordHash, now, userId);
            return set == 1 ? Optional.of(userId) : Optional.empty();
        });
    }

    @Override
    public int deleteExpiredLinks(Instant now) {
        return Sql.update(db, "DELETE FROM user_links WHERE expires_at <= ?", now);
    }

    private static String email(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static String workspaces(User u) {
        return u.allWorkspaces() ? ALL : u.workspaceIds().stream().sorted().collect(Collectors.joining(","));
    }

    private static User map(ResultSet rs) throws SQLException {
        String ws = rs.getString("workspaces");
        boolean all = ALL.equals(ws);
        Set<String> ids = all ? Set.of() : Arrays.stream(ws.split(",")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
        String stored = rs.getString("role");
        Role role = Role.fromWireName(stored).orElseThrow(() -> new SQLException("unknown role '" + stored + "'"));
        return new User(rs.getString("id"), rs.getString("email"), role, all, ids, Rows.instant(rs, "created_at"),
                Rows.instant(rs, "password_set_at"));
    }
}
