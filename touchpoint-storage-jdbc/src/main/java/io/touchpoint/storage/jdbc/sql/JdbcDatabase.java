package io.touchpoint.storage.jdbc.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** How a store reaches its database: one transaction per write, pooled reads. */
public interface JdbcDatabase extends AutoCloseable {
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction and commits it; rolls back and rethrows on failure. */
    <T> T write(Work<T> work);

    /**
     * {@link #write} for derived state that the event log can rebuild, committed together with the cursor that
     * says how far it got: a store may commit it without waiting for the disk (SQLite: no fsync of this commit;
     * the next durable commit syncs it, in order). A power cut may then lose such a commit whole, cursor
     * included, and the processor redoes it; it never loses or reorders anything committed with {@link #write}.
     */
    default <T> T writeDerived(Work<T> work) {
        return write(work);
    }

    /**
     * Whether a {@link #write} is waiting for the transaction in progress to end: a long {@link #writeDerived} may
     * then give way (roll back and be redone smaller) so an acknowledgement does not wait on it. Only a store whose
     * writes all share one lock (SQLite) ever answers true.
     */
    default boolean durableWriteWaiting() {
        return false;
    }

    /**
     * Called after an erasure committed: removes, where the database can, the copies of what it removed that its
     * files still hold. SQLite, which zeroes freed space as it writes it (secure_delete), copies its WAL into the
     * database file and truncates it. PostgreSQL keeps dead row versions in its table files until their space is
     * reused, and in its WAL and backups until those are recycled (README, Profiles): nothing is done here.
     */
    default void afterErasure() {
    }

    /**
     * The file that holds the people search's index apart from the database (SQLite, whose FTS5 index would otherwise
     * take the database's write lock and WAL beside ingest), its new links waiting in
     * {@code identity_link_search_pending} for the people-search index stage; empty where the database keeps the
     * index with its table (PostgreSQL).
     */
    default java.util.Optional<SearchIndexFile> searchIndexFile() {
        return java.util.Optional.empty();
    }

    /** See {@link #searchIndexFile}. */
    interface SearchIndexFile {
        /**
         * Runs {@code work} in one transaction on the index file (the connection reaches that file alone); its commit is
         * as durable as the database's.
         */
        <T> T write(Work<T> work);
    }

    /** Runs {@code work} on a connection for reading. */
    <T> T read(Work<T> work);

    /** The SQL this database speaks where the two databases differ. */
    SqlDialect dialect();

    /**
     * The identity stage's batch while ingest is quiet ({@link io.touchpoint.core.stage.Stage#quietBatch}): what a
     * batch's writes cost decides it, per page on SQLite (large batches pay), per row on PostgreSQL.
     */
    int quietIdentityBatch();

    @Override
    void close();
}
