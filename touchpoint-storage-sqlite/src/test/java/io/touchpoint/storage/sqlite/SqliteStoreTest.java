package io.touchpoint.storage.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

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
        assertThat(io.touchpoint.storage.jdbc.Migrations.statements("-- c\nCREATE TABLE a (x INT);\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)");
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
}
