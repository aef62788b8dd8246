package io.touchpoint.storage.jdbc.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC conversions shared by the stores. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.INTEGER);
        else ps.setLong(index, value.toEpochMilli());
    }

    public static void setParams(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) ps.setLong(i + 1, t.toEpochMilli());
            else ps.setObject(i + 1, p);
        }
    }

    /** Runs one statement on the transaction's connection; returns the rows it changed. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          setParams(ps, params);
            return ps.executeUpdate();
        }
    }

    /** The first column of every row a query answers, as text. */
    /** The first column of the first row as a number; null when there is no row or it holds NULL. */
    public static Long firstLong(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            setParams(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    public static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          setParams(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    /** Sets a statement's parameters; may fail as JDBC does. */
    public interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** A statement prepared and bound for the caller to run and close; closed here when binding fails. */
    public static PreparedStatement prepare(Connection c, String sql, Binding binding) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            binding.bind(ps);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** A unique constraint refused the write: SQLState 23505 (PostgreSQL) or SQLITE_CONSTRAINT_UNIQUE. */
    public static boolean isUniqueViolation(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof SQLException e && ("23505".equals(e.getSQLState())
                    || String.valueOf(e.getMessage()).contains("UNIQUE constraint failed"))) {
                return true;
            }
        }
        return false;
    }
}
