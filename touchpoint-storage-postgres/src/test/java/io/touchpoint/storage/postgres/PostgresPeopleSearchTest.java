package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PeopleSearchContract;
import io.touchpoint.tests.PostgresTestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** {@link PeopleSearchContract} on PostgreSQL, whose index is the pg_trgm GIN index identity_links_search. */
class PostgresPeopleSearchTest extends PeopleSearchContract {
    private String url;

    @Override
    protected Store openEmptyStore() {
        url = PostgresTestDatabase.freshSchemaUrl();
        return new PostgresStore(url, null, null);
    }

    /** PostgreSQL keeps its indexes with their table: the links its trigram query finds. */
    @Override
    protected long indexedLinksContaining(String text) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (" + PostgresDialect.INSTANCE.linksContaining() + ") found")) {
            ps.setString(1, (String) PostgresDialect.INSTANCE.searchTerms(text).getFirst());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
