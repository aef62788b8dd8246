package io.touchpoint.storage.jdbc.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Single-statement reads and writes: the shape most store methods have. */
public final class Sql {
    private Sql() {
    }

    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static <T> Optional<T> one(JdbcDatabase db, String sql, RowMapper<T> mapper, Object... params) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Rows.setParams(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
                }
            }
        });
    }

    public static <T> List<T> list(JdbcDatabase db, String sql, RowMapper<T> mapper, Object... params) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Rows.setParams(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) out.add(mapper.map(rs));
                    return out;
                }
            }
        });
    }

    /** One statement in its own transaction; returns the rows it changed. */
    public static int update(JdbcDatabase db, String sql, Object... params) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Rows.setParams(ps, params);
                return ps.executeUpdate();
            }
        });
    }
}
