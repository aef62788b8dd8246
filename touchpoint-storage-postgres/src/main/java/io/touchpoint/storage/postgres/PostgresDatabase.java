package io.touchpoint.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.touchpoint.storage.jdbc.JdbcDatabase;
import io.touchpoint.storage.jdbc.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A HikariCP pool on one PostgreSQL database; commits wait for the WAL flush (synchronous_commit=on). */
final class PostgresDatabase implements JdbcDatabase {
    private final HikariDataSource pool;

    PostgresDatabase(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(withBatchRewrite(jdbcUrl));
        if (user != null) c.setUsername(user);
        if (password != null) c.setPassword(password);
        c.setMaximumPoolSize(poolSize);
        c.setPoolName("touchpoint-postgres");
        c.setAutoCommit(true);
        // durability is a promise of the product: never inherit a weaker server default
        c.setConnectionInitSql("SET synchronous_commit = on");
        try {
            this.pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
    }

    /** Lets pgjdbc send a batch of inserts as multi-row statements: far fewer round trips per commit. */
    static String withBatchRewrite(String url) {
        if (url.contains("reWriteBatchedInserts")) return url;
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    @Override
    public <T> T write(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("PostgreSQL write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Does not wait for the WAL flush (for this transaction only): PostgreSQL commits transactions in order, so a
     * crash can only take away the last derived commits whole, with their cursor, and never a durable one.
     */
    @Override
    public <T> T writeDerived(Work<T> work) {
        return write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit = off");
            }
            return work.run(c);
        });
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("PostgreSQL read failed: " + e.getMessage(), e);
        }
    }

    String serverVersion() {
        return read(c -> c.getMetaData().getDatabaseProductVersion());
    }

    @Override
    public String primaryKeyScan(String table) {
        return table;
    }

    @Override
    public int quietIdentityBatch() {
        return 5_000;
    }

    @Override
    public String notIndexed(String column) {
        return column;
    }

    @Override
    public int linksPerRefresh() {
        return 1;
    }

    /** OFFSET 0 keeps the subquery a subquery: it runs once per value, its three equalities all on the key. */
    static final String LINKED_PROFILES_SQL = "SELECT l.profile_id FROM unnest(?) AS v(value) CROSS JOIN LATERAL"
            + " (SELECT profile_id FROM identity_links WHERE workspace_id = ? AND type = ? AND value = v.value OFFSET 0) l";

    @Override
    public PreparedStatement linkedProfiles(Connection c, String ws, String type, List<String> values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(LINKED_PROFILES_SQL);
        try {
            ps.setArray(1, c.createArrayOf("text", values.toArray()));
            ps.setString(2, ws);
            ps.setString(3, type);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
