package io.touchpoint.storage.postgres;

import io.touchpoint.storage.jdbc.JdbcStore;
import io.touchpoint.storage.jdbc.sql.Migrations;

/** The production store: PostgreSQL through a connection pool, migrated on open. */
public final class PostgresStore extends JdbcStore {
    /** Two nodes starting at once take this transaction-scoped lock and migrate one after the other. */
    static final Migrations MIGRATIONS = new Migrations(PostgresStore.class, "migrations",
            "SELECT pg_advisory_xact_lock(7265817)");
    public static final int DEFAULT_POOL_SIZE = 10;
    private final PostgresDatabase database;

    /**
     * @param jdbcUrl  e.g. {@code jdbc:postgresql://db.internal:5432/touchpoint}
     * @param user     null when the URL carries it
     * @param password null when the URL carries it (or the server trusts the client)
     */
    public PostgresStore(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, defaultIdentityCacheLinks());
    }

    /** @param identityCacheLinks links of the identity graph the identity stage may keep in memory between batches (negative: the default) */
    public PostgresStore(String jdbcUrl, String user, String password, int identityCacheLinks) {
        this(new PostgresDatabase(jdbcUrl, user, password, DEFAULT_POOL_SIZE), identityCacheLinks);
    }

    private PostgresStore(PostgresDatabase database, int identityCacheLinks) {
        super(database, MIGRATIONS, identityCacheLinks);
        this.database = database;
    }

    /** What the server reports as its version, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
    public String serverVersion() {
        return database.serverVersion();
    }
}
