package io.touchpoint.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.SqlDialect;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;

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
    public SqlDialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Override
    public int quietIdentityBatch() {
        return 5_000;
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
