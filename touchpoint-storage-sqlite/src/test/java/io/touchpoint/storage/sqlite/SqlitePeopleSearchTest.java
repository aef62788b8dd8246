package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PeopleSearchContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** {@link PeopleSearchContract} on SQLite, whose index is the FTS5 trigram table identity_link_search. */
class SqlitePeopleSearchTest extends PeopleSearchContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }

    @Override
    protected long indexedLinksContaining(String text) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM identity_link_search WHERE identity_link_search MATCH ?")) {
            ps.setString(1, SqliteDialect.INSTANCE.searchTerm(text));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
