package io.touchpoint.storage.jdbc.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prepared statements kept for one transaction: a processing batch runs the same few statements for every event. */
public final class StatementCache implements AutoCloseable {
    private final Connection c;
    private final Map<String, PreparedStatement> cache = new HashMap<>();

    public StatementCache(Connection c) {
        this.c = c;
    }

    public Connection connection() {
        return c;
    }

    public PreparedStatement get(String sql, Object... params) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            cache.put(sql, ps);
        }
        Rows.setParams(ps, params);
        return ps;
    }

    public int update(String sql, Object... params) throws SQLException {
        return get(sql, params).executeUpdate();
    }

    /** Runs {@code sql} once per row of parameters, sent together (one round trip to a server database). */
    public void batch(String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) return;
        PreparedStatement ps = null;
        for (Object[] row : rows) {
            ps = get(sql, row);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    public <T> List<T> list(String sql, Sql.RowMapper<T> mapper, Object... params) throws SQLException {
        try (ResultSet rs = get(sql, params).executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(mapper.map(rs));
            return out;
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : cache.values()) ps.close();
    }
}
