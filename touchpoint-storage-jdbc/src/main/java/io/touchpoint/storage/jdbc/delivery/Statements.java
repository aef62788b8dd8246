package io.touchpoint.storage.jdbc.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Single statements on a connection the caller's transaction holds: the shape of every read and write here. */
final class Statements {
    /** Values per IN list: well under SQLite's limit on parameters, and one statement's worth for PostgreSQL. */
    static final int CHUNK = 500;

    private Statements() {
    }

    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> list(Connection c, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Instants as epoch milliseconds and booleans as 0 or 1, the forms every table here stores them in. */
    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) ps.setLong(i + 1, t.toEpochMilli());
            else if (p instanceof Boolean b) ps.setInt(i + 1, b ? 1 : 0);
            else ps.setObject(i + 1, p);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = List.copyOf(values);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        return out;
    }

    /** {@code first} followed by {@code rest}, as one parameter array. */
    static Object[] params(List<?> first, Object... rest) {
        List<Object> out = new ArrayList<>(first);
        Collections.addAll(out, rest);
        return out.toArray();
    }
}
