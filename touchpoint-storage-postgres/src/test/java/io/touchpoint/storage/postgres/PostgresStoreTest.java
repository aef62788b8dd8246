package io.touchpoint.storage.postgres;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.tests.EventLogIndexUpgrade;
import io.touchpoint.tests.Fixtures;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only the PostgreSQL store promises: a real server, re-runnable migrations, in-place upgrades. */
class PostgresStoreTest {

    @Test
    void talksToARealPostgresqlServer() {
        try (PostgresStore store = new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null)) {
            assertThat(store.serverVersion()).matches("\\d+(\\.\\d+)?.*");
            assertThat(Integer.parseInt(store.serverVersion().split("\\.")[0])).isGreaterThanOrEqualTo(12);
            assertThat(store.ping()).isTrue();
        }
    }

    @Test
    void openingTwiceChangesNothing() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        Workspace w = Fixtures.workspace("acme");
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            store.workspaces().create(w);
        }
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            assertThat(store.schemaVersion()).isEqualTo(store.latestSchemaVersion());
            assertThat(store.workspaces().list()).containsExactly(w);
        }
    }

    @Test
    void aDatabaseAtEveryOlderVersionUpgradesInPlaceKeepingItsData() {
        for (int from = 1; from <= PostgresStore.MIGRATIONS.latest(); from++) {
            String url = PostgresTestDatabase.freshSchemaUrl();
            try (var db = new PostgresDatabase(url, null, null, 2)) {
                PostgresStore.MIGRATIONS.applyUpTo(db, from);
                db.write(c -> c.createStatement().executeUpdate(
                        "INSERT INTO settings (key, value) VALUES ('written_at_version', '" + "v" + "')"));
            }
            try (PostgresStore store = new PostgresStore(url, null, null)) {
                assertThat(store.schemaVersion()).isEqualTo(PostgresStore.MIGRATIONS.latest());
                assertThat(store.settings().get("written_at_version")).contains("v");
            }
        }
    }

    /** The link-keys migration re-keys Meta clicks and GA cookies linked before it as the processor links them now. */
    @Test
    void clickAndCookieLinksMadeBeforeTheLinkKeysMigrationAreReKeyedAndStillFound() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed("identity_link_keys") - 1);
            db.write(c -> {
                var s = c.createStatement();
                for (String sql : io.touchpoint.tests.LinkKeysUpgrade.inserts()) s.executeUpdate(sql);
                return null;
            });
        }
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            io.touchpoint.tests.LinkKeysUpgrade.verify(store, url);
        }
    }

    @Test
    void anUnreachableServerIsAClearError() {
        assertThatThrownBy(() -> new PostgresStore("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2", null,
                "secret"))
                .hasMessageContaining("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/nothing");
    }

    @Test
    void batchedInsertsAreRewrittenIntoMultiRowStatements() {
        assertThat(PostgresDatabase.withBatchRewrite("jdbc:postgresql://h/db"))
                .isEqualTo("jdbc:postgresql://h/db?reWriteBatchedInserts=true");
        assertThat(PostgresDatabase.withBatchRewrite("jdbc:postgresql://h/db?user=u"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&reWriteBatchedInserts=true");
        assertThat(PostgresDatabase.redact("jdbc:postgresql://h/db?password=s3cret&user=u"))
                .isEqualTo("jdbc:postgresql://h/db?password=***&user=u");
    }

    @Test
    void profilesLinkedBeforeThePeopleSightsAreListedByTheirMembersSightsAfterTheUpgrade() {
        io.touchpoint.tests.PeopleUpgrade upgrade = new io.touchpoint.tests.PeopleUpgrade();
        try (PostgresStore store = upgraded(io.touchpoint.tests.PeopleUpgrade.MIGRATION, c -> {
            upgrade.writeBeforeTheSights(c);
            return null;
        })) {
            upgrade.assertListedAfterTheUpgrade(store);
        }
    }

    @Test
    void linksMadeBeforeThePeopleSearchIndexAreFoundAfterTheUpgrade() {
        io.touchpoint.tests.PeopleSearchUpgrade upgrade = new io.touchpoint.tests.PeopleSearchUpgrade();
        try (PostgresStore store = upgraded(io.touchpoint.tests.PeopleSearchUpgrade.MIGRATION, c -> {
            upgrade.writeBeforeTheIndex(c);
            return null;
        })) {
            upgrade.assertFoundAfterTheUpgrade(store);
        }
    }

    @Test
    void mergesUndoneBeforeTheSequenceAreNumberedInTheOrderOfTheirTime() throws Exception {
        io.touchpoint.tests.UndoneMergesUpgrade upgrade = new io.touchpoint.tests.UndoneMergesUpgrade();
        String url = PostgresTestDatabase.freshSchemaUrl();
        try (PostgresStore store = upgraded(url, io.touchpoint.tests.UndoneMergesUpgrade.MIGRATION, c -> {
            upgrade.writeBeforeTheSequence(c);
            return null;
        }); var c = java.sql.DriverManager.getConnection(url)) {
            upgrade.assertNumberedInTheirOrder(store, c);
        }
    }

    /** The store over a fresh schema built up to {@code migration}, given the older rows, then opened (which migrates). */
    private static PostgresStore upgraded(String migration, io.touchpoint.storage.jdbc.sql.JdbcDatabase.Work<Void> olderRows) {
        return upgraded(PostgresTestDatabase.freshSchemaUrl(), migration, olderRows);
    }

    private static PostgresStore upgraded(String url, String migration, io.touchpoint.storage.jdbc.sql.JdbcDatabase.Work<Void> olderRows) {
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(migration) - 1);
            db.write(olderRows);
        }
        return new PostgresStore(url, null, null);
    }

    @Test
    void pageViewsStoredBeforeTheTrafficRollupAreCountedAfterTheUpgrade() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        io.touchpoint.tests.TrafficUpgrade upgrade = new io.touchpoint.tests.TrafficUpgrade();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(io.touchpoint.tests.TrafficUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeTheRollup(c, EventJson::write);
                return null;
            });
        }
        try (var store = new PostgresStore(url, null, null)) {
            upgrade.assertCountedAfterTheUpgrade(store);
        }
    }

    @Test
    void eventsLogEntriesMadeBeforeTheIdentifierIndexAreFoundByTheirIdentifiersAfterTheUpgrade() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        EventLogIndexUpgrade upgrade = new EventLogIndexUpgrade();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(EventLogIndexUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeTheIndex(c, EventJson::write);
                return null;
            });
        }
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            upgrade.assertFoundAfterTheUpgrade(store);
        }
    }

    @Test
    void eventsLogEntriesWaitingForTheIndexerAtTheUpgradeAreFoundOnceBeforeAndAfterItCopiesThem() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        io.touchpoint.tests.EventLogCursorUpgrade upgrade = new io.touchpoint.tests.EventLogCursorUpgrade();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(io.touchpoint.tests.EventLogCursorUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeTheCursor(c);
                return null;
            });
        }
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            upgrade.assertFoundOnceBeforeAndAfterTheIndexer(store);
        }
    }

    @Test
    void aWorkspaceAndAnEventFromBeforeConsentReadAsTheDefaultsAndUnknownAfterTheUpgrade() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        io.touchpoint.tests.ConsentUpgrade upgrade = new io.touchpoint.tests.ConsentUpgrade();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(io.touchpoint.tests.ConsentUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeConsent(c, EventJson::write);
                return null;
            });
        }
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            upgrade.assertReadAsUnknownAfterTheUpgrade(store);
        }
    }

    @Test
    void spendImportedBeforeAdAccountsIsKeptAsImportedRows() {
        String url = PostgresTestDatabase.freshSchemaUrl();
        io.touchpoint.tests.AdSpendUpgrade upgrade = new io.touchpoint.tests.AdSpendUpgrade();
        try (var db = new PostgresDatabase(url, null, null, 2)) {
            PostgresStore.MIGRATIONS.applyUpTo(db, PostgresStore.MIGRATIONS.versionNamed(io.touchpoint.tests.AdSpendUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeAdAccounts(c);
                return null;
            });
        }
        try (PostgresStore store = new PostgresStore(url, null, null)) {
            upgrade.assertImportedSpendKept(store);
        }
    }
}
