package io.touchpoint.server.backup;

import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.support.Cli;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.IngestLoad;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.server.support.ServerProcess.CreatedWorkspace;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code touchpoint backup} against the real server in its own process under ingest load over loopback: the copy
 * holds every event the server acknowledged before the backup began, and {@code touchpoint restore} makes a store of
 * it that opens and serves, with the secrets key that opens its destinations' secrets.
 */
class BackupRestoreTest {
    static final int SENDERS = 6;
    static final int MIN_ACKNOWLEDGED = 400;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void backupUnderIngestLoadHoldsEveryAcknowledgedEventAndRestoresIntoANewFolder() throws Exception {
        Path data = dir.resolve("data");
        Path archive = dir.resolve("backups").resolve("touchpoint-backup.zip");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");

        Map<String, String> acknowledgedBefore;
        Cli.Run backup;
        int acknowledgedDuring;
        try (ServerProcess server = ServerProcess.start(data);
             IngestLoad load = IngestLoad.start(server.baseUrl(), ws.token(), SENDERS, "backup")) {
            long t0 = System.nanoTime();
            load.awaitAcknowledged(MIN_ACKNOWLEDGED, Duration.ofSeconds(60));
            System.out.printf("backup: %d ms until %d acknowledged%n", (System.nanoTime() - t0) / 1_000_000, MIN_ACKNOWLEDGED);
            acknowledgedBefore = load.acknowledged();
            // while the senders go on, from this JVM: another process, as an operator's cron job would be
            backup = Cli.run("backup", archive.toString(), "--data", data.toString(), "--json");
            acknowledgedDuring = load.acknowledgedCount() - acknowledgedBefore.size();
            Thread.sleep(300); // and ingest carries on after it
            assertThat(load.running()).as("every sender still sending after the backup").isEqualTo(SENDERS);
            assertThat(load.unexpected()).as("answers other than 202 or 503 while backing up").isEmpty();
            System.out.printf("backup: %d events acknowledged before it began, %d while it ran, %d in all; %s%n",
                    acknowledgedBefore.size(), acknowledgedDuring, load.acknowledgedCount(), backup.out().strip());
            long t1 = System.nanoTime();
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
            System.out.printf("backup: server stopped in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        }
        assertThat(backup.exit()).as(backup.toString()).isZero();
        assertThat(backup.json()).containsEntry("file", archive.toString()).containsEntry("secrets_key", "included");
        try (SqliteStore store = SqliteStore.inFolder(data)) {
            assertThat(store.audit().search(new AuditQuery(null, null, null, null, "export.backup", null, null, 10)).items())
                    .singleElement().satisfies(e -> assertThat(e.actor().label()).isEqualTo("command line"));
        }
        assertThat(((Number) backup.json().get("events")).longValue()).isGreaterThanOrEqualTo(acknowledgedBefore.size());
        assertThat(Files.getPosixFilePermissions(archive)).as("the archive holds the secrets key")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.list(archive.getParent()).map(p -> p.getFileName().toString()))
                .as("no partial files left beside the archive").containsExactly("touchpoint-backup.zip");
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(zip.stream().map(e -> e.getName())).containsExactly("touchpoint-backup.json", "touchpoint.db", "secrets.key");
        }

        Path restored = dir.resolve("restored");
        Cli.Run restore = Cli.run("restore", archive.toString(), "--data", restored.toString(), "--json");
        assertThat(restore.exit()).as(restore.toString()).isZero();
        assertThat(restore.json()).containsEntry("data", restored.toString());
        assertThat(Files.readString(restored.resolve("secrets.key"))).as("the key that seals the destinations' secrets")
                .isEqualTo(Files.readString(data.resolve("secrets.key")));
        assertThat(Files.getPosixFilePermissions(restored.resolve("secrets.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        try (Store store = SqliteStore.inFolder(restored)) {
            List<String> missing = new ArrayList<>();
            acknowledgedBefore.forEach((key, id) -> {
                Optional<Event> e = store.events().find(ws.id(), id);
                if (e.isEmpty() || !key.equals(e.get().idempotencyKey())) missing.add(key + "=" + id);
            });
            assertThat(missing).as("events acknowledged before the backup began, missing from the restored store").isEmpty();
        }

        // and the restored folder is a store the server runs on: it knows the events' idempotency keys
        try (ServerProcess again = ServerProcess.start(restored)) {
            Map.Entry<String, String> one = acknowledgedBefore.entrySet().iterator().next();
            HttpTestClient.Response r = again.http.postJson("/public-api/v1/events", ws.token(),
                    "{\"event_name\":\"purchase\",\"email\":\"again@example.com\",\"idempotency_key\":\"" + one.getKey() + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json()).containsEntry("outcome", "duplicate").containsEntry("id", one.getValue());
            assertThat(again.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    @Timeout(120)
    void restoreRefusesALiveStoreAlwaysAndAStoppedOneWithoutForce() throws Exception {
        Path data = dir.resolve("data");
        ServerProcess.createWorkspace(data, "acme");
        Path archive = dir.resolve("b.zip");
        assertThat(Cli.run("backup", archive.toString(), "--data", data.toString()).exit()).isZero();

        Cli.Run again = Cli.run("backup", archive.toString(), "--data", data.toString());
        assertThat(again.exit()).as("an existing backup file is not overwritten").isEqualTo(2);
        assertThat(again.err()).contains("exists already").contains("--force");
        assertThat(Cli.run("backup", archive.toString(), "--data", data.toString(), "--force").exit()).isZero();

        Path other = dir.resolve("other");
        ServerProcess.createWorkspace(other, "other");
        long sizeBefore = Files.size(other.resolve("touchpoint.db"));
        try (ServerProcess server = ServerProcess.start(other)) {
            Cli.Run live = Cli.run("restore", archive.toString(), "--data", other.toString(), "--force");
            assertThat(live.exit()).as(live.toString()).isEqualTo(2);
            assertThat(live.err()).contains("is open in another process").contains("stop it first");
            assertThat(server.http.get("/readyz", null).status()).as("the running server untouched").isEqualTo(200);
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }

        Cli.Run stopped = Cli.run("restore", archive.toString(), "--data", other.toString());
        assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(2);
        assertThat(stopped.err()).contains("already holds a store").contains("--force");
        assertThat(Files.size(other.resolve("touchpoint.db"))).isEqualTo(sizeBefore);

        assertThat(searchIndexStates(other)).as("the replaced store's people-search index file, built by its server").isOne();
        Cli.Run forced = Cli.run("restore", archive.toString(), "--data", other.toString(), "--force", "--json");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(searchIndexStates(other)).as("derived from the replaced store: deleted (the restore's check opens a new one)").isZero();
        @SuppressWarnings("unchecked") List<String> aside = (List<String>) forced.json().get("kept_aside");
        assertThat(aside).as("the replaced store is kept, renamed").singleElement().asString()
                .matches(".*/touchpoint\\.db\\.replaced-\\d{8}T\\d{6}Z");
        // the backup's server never started, so it has no key to restore: the folder's own key stays
        assertThat(forced.json().get("secrets_key").toString()).contains("holds no secrets key");
        assertThat(other.resolve("secrets.key")).exists();
        try (Store store = SqliteStore.inFolder(other)) {
            assertThat(store.workspaces().list()).extracting(w -> w.name()).containsExactly("acme");
        }
    }

    @Test
    void postgresAndFilesThatAreNoBackupAreRefusedWithTheWayOut() throws Exception {
        Cli.Run pgBackup = Cli.run("backup", dir.resolve("b.zip").toString(), "--db", "jdbc:postgresql://127.0.0.1:1/touchpoint");
        assertThat(pgBackup.exit()).isEqualTo(2);
        assertThat(pgBackup.err()).contains("pg_dump");
        Cli.Run pgRestore = Cli.run("restore", dir.resolve("b.zip").toString(), "--db", "jdbc:postgresql://127.0.0.1:1/touchpoint");
        assertThat(pgRestore.exit()).isEqualTo(2);
        assertThat(pgRestore.err()).contains("pg_restore");

        Path notZip = Files.writeString(dir.resolve("notes.txt"), "not a backup");
        Cli.Run bad = Cli.run("restore", notZip.toString(), "--data", dir.resolve("fresh").toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a backup written by `touchpoint backup`");
        assertThat(dir.resolve("fresh")).doesNotExist();

        Cli.Run none = Cli.run("restore", dir.resolve("nothing.zip").toString(), "--data", dir.resolve("fresh").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no backup file at");
    }

    /** Rows of the state table in the data folder's people-search index file: 1 once a server's stage built it. */
    private static long searchIndexStates(Path data) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("touchpoint.db-search"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM identity_link_search_state")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
