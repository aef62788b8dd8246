package io.touchpoint.storage.sqlite;

import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.Migrations;
import io.touchpoint.tests.EventLogIndexUpgrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What only the SQLite store promises: its file settings and re-runnable migrations. */
class SqliteStoreTest {
    @TempDir
    Path dir;

    @Test
    void theFileIsInWalModeAndMigratedToTheLatestVersion() throws Exception {
        try (SqliteStore store = SqliteStore.inFolder(dir)) {
            assertThat(store.schemaVersion()).isEqualTo(SqliteStore.MIGRATIONS.latest());
            assertThat(store.ping()).isTrue();
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void openingTwiceChangesNothing() {
        try (SqliteStore store = SqliteStore.inFolder(dir)) {
            store.settings().put("k", "v");
        }
        try (SqliteStore store = SqliteStore.inFolder(dir)) {
            assertThat(store.schemaVersion()).isEqualTo(SqliteStore.MIGRATIONS.latest());
            assertThat(store.settings().get("k")).contains("v");
        }
    }

    @Test
    void migrationScriptsSplitIntoStatements() {
        assertThat(Migrations.statements("-- c\nCREATE TABLE a (x INT);\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)");
        // a DO block's body is one statement with its own semicolons
        assertThat(Migrations.statements("DO $$\nBEGIN\n    SELECT 1;\nEND $$;\nSELECT 2;\n"))
                .containsExactly("DO $$\nBEGIN\n    SELECT 1;\nEND $$", "SELECT 2");
    }

    @Test
    void identityLinksMadeBeforeVersion7AreFoundAfterTheUpgrade() {
        Path file = dir.resolve("v6.db");
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, 6);
            db.write(c -> {
                var s = c.createStatement();
                s.executeUpdate("INSERT INTO identity_profiles (id, workspace_id, created_seq, created_at, merged_into, canonical_id)"
                        + " VALUES ('prof_1', 'ws_a', 1, 0, NULL, 'prof_1')");
                return s.executeUpdate("INSERT INTO identity_links (workspace_id, type, value, profile_id, rule, event_id,"
                        + " first_seen_at, last_seen_at) VALUES ('ws_a', 'email', 'ann@example.com', 'prof_1', 'new_profile', 'evt_1', 5, 9)");
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            assertThat(store.identity().findProfile("ws_a", new io.touchpoint.core.model.Identifier(
                    io.touchpoint.core.model.IdentifierType.EMAIL, "ann@example.com"))).contains("prof_1");
            var linked = store.identity().profile("ws_a", "prof_1").orElseThrow().identifiers();
            assertThat(linked).hasSize(1);
            assertThat(linked.get(0).lastSeen()).isEqualTo(java.time.Instant.ofEpochMilli(9));
        }
    }

    /** The link-keys migration re-keys Meta clicks and GA cookies linked before it as the processor links them now. */
    @Test
    void clickAndCookieLinksMadeBeforeTheLinkKeysMigrationAreReKeyedAndStillFound() {
        Path file = dir.resolve("before-link-keys.db");
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed("identity_link_keys") - 1);
            db.write(c -> {
                var s = c.createStatement();
                for (String sql : io.touchpoint.tests.LinkKeysUpgrade.inserts()) s.executeUpdate(sql);
                return null;
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            io.touchpoint.tests.LinkKeysUpgrade.verify(store, "jdbc:sqlite:" + file);
        }
    }

    @Test
    void outboxEntriesAndAttemptsFromBeforeSharedPayloadsAreKeptAndStillSent() {
        Path file = dir.resolve("before-payloads.db");
        int payloads = SqliteStore.MIGRATIONS.versionNamed("delivery_payloads");
        var event = new io.touchpoint.core.model.Event("evt_1", "ws_a", io.touchpoint.core.model.Source.ABLE, "req_1",
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, "purchase", java.util.List.of(),
                io.touchpoint.core.model.Person.EMPTY, null, null, null, false, null, null);
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, payloads - 1);
            db.write(c -> {
                var s = c.createStatement();
                s.executeUpdate("INSERT INTO workspaces (id, name, pixel_key, created_at, time_zone, currency, phone_region,"
                        + " rate_limit_per_minute) VALUES ('ws_a', 'a', 'px_a', 0, 'UTC', 'USD', 'US', 600)");
                s.executeUpdate("INSERT INTO destinations (id, workspace_id, type, name, settings, events, event_map, mode, model,"
                        + " enabled, created_at, updated_at) VALUES ('dst_1', 'ws_a', 'webhook', 'Hook', '{}', NULL, '{}', 'all',"
                        + " 'last_non_direct', 1, 0, 0)");
                var ps = c.prepareStatement("INSERT INTO delivery_outbox (destination_id, workspace_id, event_id, event_seq,"
                        + " event_time, dedup_key, event_body, enriched_fields, status, attempts, created_at, next_attempt_at,"
                        + " updated_at) VALUES ('dst_1', 'ws_a', 'evt_1', 1, 0, 'evt_1', ?, '{}', 'retrying', 1, 0, 0, 0)");
                ps.setString(1, EventJson.write(event));
                ps.executeUpdate();
                return s.executeUpdate("INSERT INTO delivery_attempts (outbox_id, destination_id, attempted_at, status_code,"
                        + " outcome, next_attempt_at) VALUES (1, 'dst_1', 0, 503, 'retrying', 0)");
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            var due = store.destinations().due("dst_1", java.time.Instant.ofEpochSecond(1), 10);
            assertThat(due).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(event));
            assertThat(store.destinations().attempts(due.get(0).id())).singleElement()
                    .satisfies(a -> assertThat(a.statusCode()).isEqualTo(503));
            assertThat(store.destinations().delete("dst_1")).isTrue(); // the rebuilt tables keep their references
        }
    }

    @Test
    void aFileAtEveryOlderVersionUpgradesInPlaceKeepingItsData() {
        for (int from = 1; from <= SqliteStore.MIGRATIONS.latest(); from++) {
            Path file = dir.resolve("v" + from + ".db");
            try (var db = new SqliteDatabase(file, true)) {
                SqliteStore.MIGRATIONS.applyUpTo(db, from);
                db.write(c -> c.createStatement().executeUpdate(
                        "INSERT INTO settings (key, value) VALUES ('written_at_version', 'v')"));
            }
            try (SqliteStore store = new SqliteStore(file, true)) {
                assertThat(store.schemaVersion()).isEqualTo(SqliteStore.MIGRATIONS.latest());
                assertThat(store.settings().get("written_at_version")).contains("v");
            }
        }
    }

    @Test
    void profilesLinkedBeforeThePeopleSightsAreListedByTheirMembersSightsAfterTheUpgrade() {
        io.touchpoint.tests.PeopleUpgrade upgrade = new io.touchpoint.tests.PeopleUpgrade();
        try (SqliteStore store = upgraded(dir.resolve("before-people.db"), io.touchpoint.tests.PeopleUpgrade.MIGRATION, c -> {
            upgrade.writeBeforeTheSights(c);
            return null;
        })) {
            upgrade.assertListedAfterTheUpgrade(store);
        }
    }

    @Test
    void linksMadeBeforeThePeopleSearchIndexAreFoundAfterTheUpgrade() {
        io.touchpoint.tests.PeopleSearchUpgrade upgrade = new io.touchpoint.tests.PeopleSearchUpgrade();
        try (SqliteStore store = upgraded(dir.resolve("before-search.db"), io.touchpoint.tests.PeopleSearchUpgrade.MIGRATION, c -> {
            upgrade.writeBeforeTheIndex(c);
            return null;
        })) {
            upgrade.assertFoundAfterTheUpgrade(store);
        }
    }

    /**
     * Links erased before the index's secure delete were only marked deleted in it: after the upgrade their
     * trigrams are in neither the index's segments nor the files, and the other links are still found.
     */
    @Test
    void linksErasedBeforeTheIndexsSecureDeleteLeaveNoPieceOfThemAfterTheUpgrade() throws Exception {
        Path file = dir.resolve("before-secure-delete.db");
        io.touchpoint.tests.PeopleSearchUpgrade kept = new io.touchpoint.tests.PeopleSearchUpgrade();
        List<String> pieces;
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed("identity_link_search_secure_delete") - 1);
            db.write(c -> {
                kept.writeBeforeTheIndex(c);
                var s = c.createStatement();
                s.executeUpdate("INSERT INTO identity_profiles (id, workspace_id, created_seq, created_at, merged_into, canonical_id)"
                        + " VALUES ('prf_erased', 'ws_search_upgrade', 2, 0, NULL, 'prf_erased')");
                // letters w, x, y, z, q, j are in no other link: trigrams starting with them are stored whole
                return s.executeUpdate("INSERT INTO identity_links (workspace_id, type, value, profile_id, rule, event_id,"
                        + " first_seen_at, last_seen_at) VALUES ('ws_search_upgrade', 'email', 'wyz.qj@shop.io', 'prf_erased',"
                        + " 'exact', 'evt_erased', 1000, 2000), ('ws_search_upgrade', 'visitor_token', 'tok-xwz', 'prf_erased',"
                        + " 'exact', 'evt_erased', 1000, 2000)");
            });
            SearchIndexContents linked = SearchIndexContents.of(file);
            pieces = linked.storedWhole(linked.termsOnlyIn(SearchIndexContents.rowsOf(file, "prf_erased")));
            assertThat(pieces).contains("wyz", "xwz");
            // as the erasure of that version did
            db.write(c -> c.createStatement().executeUpdate("DELETE FROM identity_links WHERE profile_id = 'prf_erased'"));
        }
        assertThat(pieces).allSatisfy(p -> assertThat(SearchIndexContents.of(file).segments()).as("marked deleted only").contains(p));

        Path index = SqliteDatabase.searchFile(file);
        try (SqliteStore store = new SqliteStore(file, true)) {
            kept.assertFoundAfterTheUpgrade(store); // while the links wait for the new index file
            assertThat(store.identity().people("ws_search_upgrade", "wyz.qj", 10, null).items()).isEmpty();
            assertThat(store.stages().peopleSearchIndex().step(1000)).as("the two links of 3 characters or more").isEqualTo(2);
            kept.assertFoundAfterTheUpgrade(store); // in the index file
        }

        SearchIndexContents after = SearchIndexContents.of(index);
        assertThat(pieces).allSatisfy(p -> assertThat(after.segments()).as("the segments").doesNotContain(p));
        String files = SearchIndexContents.bytesOf(List.of(file, file.resolveSibling(file.getFileName() + "-wal"), index,
                index.resolveSibling(index.getFileName() + "-wal")));
        assertThat(pieces).allSatisfy(p -> assertThat(files).as("the database and index files and their WALs").doesNotContain(p));
        assertThat(after.rowsByTerm()).containsKeys("ann", "sho", "n-9");
        SearchIndexContents.checkIntegrity(index);
    }

    @Test
    void mergesUndoneBeforeTheSequenceAreNumberedInTheOrderOfTheirTime() throws Exception {
        Path file = dir.resolve("before-undo-seq.db");
        io.touchpoint.tests.UndoneMergesUpgrade upgrade = new io.touchpoint.tests.UndoneMergesUpgrade();
        try (SqliteStore store = upgraded(file, io.touchpoint.tests.UndoneMergesUpgrade.MIGRATION, c -> {
            upgrade.writeBeforeTheSequence(c);
            return null;
        }); var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            upgrade.assertNumberedInTheirOrder(store, c);
        }
    }

    /** The store over a database built up to {@code migration}, given the older rows, then opened (which migrates). */
    private static SqliteStore upgraded(Path file, String migration, io.touchpoint.storage.jdbc.sql.JdbcDatabase.Work<Void> olderRows) {
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed(migration) - 1);
            db.write(olderRows);
        }
        return new SqliteStore(file, true);
    }

    @Test
    void pageViewsStoredBeforeTheTrafficRollupAreCountedAfterTheUpgrade() {
        Path file = dir.resolve("before-traffic.db");
        io.touchpoint.tests.TrafficUpgrade upgrade = new io.touchpoint.tests.TrafficUpgrade();
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed(io.touchpoint.tests.TrafficUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeTheRollup(c, EventJson::write);
                return null;
            });
        }
        try (var store = new SqliteStore(file, true)) {
            upgrade.assertCountedAfterTheUpgrade(store);
        }
    }

    @Test
    void eventsLogEntriesMadeBeforeTheIdentifierIndexAreFoundByTheirIdentifiersAfterTheUpgrade() {
        Path file = dir.resolve("before-index.db");
        EventLogIndexUpgrade upgrade = new EventLogIndexUpgrade();
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed(EventLogIndexUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeTheIndex(c, EventJson::write);
                return null;
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            upgrade.assertFoundAfterTheUpgrade(store);
        }
    }

    @Test
    void eventsLogEntriesWaitingForTheIndexerAtTheUpgradeAreFoundOnceBeforeAndAfterItCopiesThem() {
        Path file = dir.resolve("before-cursor.db");
        io.touchpoint.tests.EventLogCursorUpgrade upgrade = new io.touchpoint.tests.EventLogCursorUpgrade();
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed(io.touchpoint.tests.EventLogCursorUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeTheCursor(c);
                return null;
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            upgrade.assertFoundOnceBeforeAndAfterTheIndexer(store);
        }
    }

    @Test
    void aWorkspaceAndAnEventFromBeforeConsentReadAsTheDefaultsAndUnknownAfterTheUpgrade() {
        Path file = dir.resolve("before-consent.db");
        io.touchpoint.tests.ConsentUpgrade upgrade = new io.touchpoint.tests.ConsentUpgrade();
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed(io.touchpoint.tests.ConsentUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeConsent(c, EventJson::write);
                return null;
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            upgrade.assertReadAsUnknownAfterTheUpgrade(store);
        }
    }

    @Test
    void spendImportedBeforeAdAccountsIsKeptAsImportedRows() {
        Path file = dir.resolve("before-ad-accounts.db");
        io.touchpoint.tests.AdSpendUpgrade upgrade = new io.touchpoint.tests.AdSpendUpgrade();
        try (var db = new SqliteDatabase(file, true)) {
            SqliteStore.MIGRATIONS.applyUpTo(db, SqliteStore.MIGRATIONS.versionNamed(io.touchpoint.tests.AdSpendUpgrade.MIGRATION) - 1);
            db.write(c -> {
                upgrade.writeBeforeAdAccounts(c);
                return null;
            });
        }
        try (SqliteStore store = new SqliteStore(file, true)) {
            upgrade.assertImportedSpendKept(store);
        }
    }
}
