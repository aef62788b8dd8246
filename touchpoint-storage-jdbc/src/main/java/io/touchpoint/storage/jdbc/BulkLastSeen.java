package io.touchpoint.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A {@link JdbcDatabase} that sets many links' last-seen times in one statement (PostgreSQL, over arrays). Without it
 * (SQLite, which has no arrays) the identity processor refreshes up to three links of one profile a statement, found
 * in one search of SQLite's profile-first key.
 */
public interface BulkLastSeen {
    /** Sets the last-seen times of these links (one part of a batch). */
    void refreshLastSeen(Connection c, List<LinkRefresh> links) throws SQLException;
}
