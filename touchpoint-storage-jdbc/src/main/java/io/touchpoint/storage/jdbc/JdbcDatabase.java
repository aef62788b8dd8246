package io.touchpoint.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** How a store reaches its database: one transaction per write, pooled reads. */
public interface JdbcDatabase extends AutoCloseable {
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction and commits it; rolls back and rethrows on failure. */
    <T> T write(Work<T> work);

    /** Runs {@code work} on a connection for reading. */
    <T> T read(Work<T> work);

    @Override
    void close();
}
