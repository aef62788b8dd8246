package io.touchpoint.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.telemetry.BuildInfo;
import io.touchpoint.server.config.Stores;
import io.touchpoint.server.config.ConfigException;
import io.touchpoint.server.config.SecretKeys;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.http.Json;
import io.touchpoint.storage.sqlite.SqliteFiles;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * {@code touchpoint backup} and {@code touchpoint restore} for the embedded store. A backup is one zip file, readable
 * by its owner only, holding
 * <ul>
 *     <li>{@value #MANIFEST}: when, by which version, from where, how many events, whether the key is inside;</li>
 *     <li>{@value #DATABASE}: a consistent copy of the SQLite store made while the server may be running
 *     ({@link SqliteFiles#snapshot}: every commit made before the copy began, nothing half of one made during it);</li>
 *     <li>{@value #KEY}: the secrets key file, without which the destinations' platform tokens and webhook secrets
 *     cannot be opened — when the key is in a file; a key given inline in the configuration ({@code secrets.key})
 *     stays with the configuration.</li>
 * </ul>
 * Restore puts them back into a data folder no process has open, refusing to replace a store without {@code force}
 * (and then keeping the replaced files beside it).
 */
public final class BackupArchive {
    public static final String MANIFEST = "touchpoint-backup.json";
    public static final String DATABASE = SqliteStore.FILE_NAME;
    public static final String KEY = SecretKeys.FILE_NAME;
    static final int FORMAT = 1;
    private static final String OWNER_ONLY = "rw-------";

    /** Where the secrets key is, as the manifest says it. */
    public enum KeySource {
        /** the key file is in the archive */
        INCLUDED,
        /** {@code secrets.key} is set in the configuration: keep the configuration */
        CONFIGURED,
        /** no key file yet: the server was never started with this data folder */
        NONE;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A backup written: the file, its size, the events it holds, where its key is, how long it took. */
    public record Written(Path file, long bytes, long events, KeySource key, Duration took) {
    }

    /**
     * A backup restored into {@code dataDir}: what its manifest says, the events it holds, where the key went, and the
     * files it replaced (kept under new names).
     */
    public record Restored(Path dataDir, Map<String, Object> manifest, long events, String keyNote, List<Path> keptAside) {
    }

    private BackupArchive() {
    }

    /** Writes a backup of the configured embedded store to {@code target}. */
    public static Written create(ServerConfig config, Path target, boolean force, Clock clock) {
        long started = System.nanoTime();
        refusePostgres(config, "backup");
        Stores.requireExisting(config);
        Path file = target.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) throw new ConfigException(file + " is a folder; name the backup file to write");
        if (Files.exists(file) && !force) {
            throw new ConfigException(file + " exists already; choose another name (e.g. with the date) or give --force"
                    + " to replace it");
        }
        Path dir = file.getParent();
        Path copy = dir.resolve("." + file.getFileName() + ".db.partial");
        Path partial = dir.resolve("." + file.getFileName() + ".partial");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(copy);
            Files.deleteIfExists(partial);
            // VACUUM INTO writes into an empty file: made first, so that nobody else can read the copy meanwhile
            createOwnerOnly(copy);
            SqliteFiles.snapshot(Stores.sqliteFile(config), copy);
            List<String> problems = SqliteFiles.check(copy);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the copy of the store failed SQLite's check, no backup written: " + problems);
            }
            long events = SqliteFiles.count(copy, "events");

            KeySource keySource;
            byte[] key = null;
            if (config.secretKey() != null) {
                keySource = KeySource.CONFIGURED;
            } else {
                Path keyFile = keyFile(config);
                keySource = Files.isRegularFile(keyFile) ? KeySource.INCLUDED : KeySource.NONE;
                if (keySource == KeySource.INCLUDED) key = Files.readAllBytes(keyFile);
            }

            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", FORMAT);
            manifest.put("created_at", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            manifest.put("touchpoint_version", BuildInfo.current().version());
            manifest.put("touchpoint_commit", BuildInfo.current().commit());
            manifest.put("store", "sqlite");
            manifest.put("source", config.dataDir().toAbsolutePath().normalize().toString());
            manifest.put("events", events);
            manifest.put("database_bytes", Files.size(copy));
            manifest.put("secrets_key", keySource.json());

            createOwnerOnly(partial);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
                 ZipOutputStream zip = new ZipOutputStream(java.nio.channels.Channels.newOutputStream(channel))) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(DATABASE));
                Files.copy(copy, zip);
                zip.closeEntry();
                if (key != null) {
                    zip.putNextEntry(new ZipEntry(KEY));
                    zip.write(key);
                    zip.closeEntry();
                }
                zip.finish();
                zip.flush();
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(dir);
            return new Written(file, Files.size(file), events, keySource, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(copy);
            deleteQuietly(partial);
        }
    }

    /** Puts the backup {@code archive} into the configured data folder. */
    public static Restored restore(ServerConfig config, Path archive, boolean force, Clock clock) {
        refusePostgres(config, "restore");
        Path source = archive.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) throw new ConfigException("no backup file at " + source);
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        Path db = dataDir.resolve(DATABASE);
        Path wal = sibling(db, "-wal");
        Path shm = sibling(db, "-shm");
        if (SqliteFiles.inUse(db)) {
            throw new ConfigException("the store in " + dataDir + " is open in another process (a running `touchpoint serve`?):"
                    + " stop it first; restore never replaces a store in use, even with --force");
        }
        try (ZipFile zip = new ZipFile(source.toFile())) {
            Map<String, Object> manifest = manifest(zip, source);
            ZipEntry dbEntry = zip.getEntry(DATABASE);
            if (dbEntry == null) throw new ConfigException(source + " holds no " + DATABASE + "; it is not a whole backup");
            ZipEntry keyEntry = zip.getEntry(KEY);
            byte[] key = keyEntry == null ? null : read(zip, keyEntry);

            // a key from the configuration is not replaced; a key file is, when the backup has one
            Path keyFile = config.secretKey() == null ? keyFile(config) : null;
            boolean keyDiffers = key != null && keyFile != null && Files.exists(keyFile)
                    && !Arrays.equals(Files.readAllBytes(keyFile), key);
            List<String> conflicts = new ArrayList<>();
            if (Files.exists(db)) conflicts.add(db.toString());
            if (Files.exists(wal)) conflicts.add(wal.toString());
            if (keyDiffers) conflicts.add(keyFile + " (another secrets key)");
            if (!conflicts.isEmpty() && !force) {
                throw new ConfigException("the data folder " + dataDir + " already holds a store (" + String.join(", ", conflicts)
                        + "); restore into an empty folder (--data DIR), or give --force to replace it (the replaced"
                        + " files are kept beside it, renamed)");
            }

            Files.createDirectories(dataDir);
            Path restoring = dataDir.resolve(DATABASE + ".restoring");
            Files.deleteIfExists(restoring);
            createOwnerOnly(restoring);
            try (InputStream in = zip.getInputStream(dbEntry);
                 FileChannel channel = FileChannel.open(restoring, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                in.transferTo(out);
                out.flush();
                channel.force(true);
            }
            List<String> problems = SqliteFiles.check(restoring);
            if (!problems.isEmpty()) {
                Files.deleteIfExists(restoring);
                throw new ConfigException("the store in " + source + " failed SQLite's check, nothing was restored: " + problems);
            }
            long events = SqliteFiles.count(restoring, "events");

            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant());
            List<Path> keptAside = new ArrayList<>();
            // the old database and its write-ahead log keep their pairing under the new name; the shared-memory
            // index is rebuilt by SQLite, and a stale one must not meet the restored file
            Path aside = dataDir.resolve(DATABASE + ".replaced-" + stamp);
            if (Files.exists(db)) keptAside.add(Files.move(db, aside));
            if (Files.exists(wal)) keptAside.add(Files.move(wal, sibling(aside, "-wal")));
            Files.deleteIfExists(shm);
            Files.deleteIfExists(sibling(db, "-journal"));
            // the people search's index is derived from the database: the server builds it again for the restored one
            for (Path index : SqliteFiles.searchIndexFiles(db)) Files.deleteIfExists(index);
            Files.move(restoring, db, StandardCopyOption.ATOMIC_MOVE);

            String keyNote;
            if (key == null) {
                keyNote = switch (String.valueOf(manifest.get("secrets_key"))) {
                    case "configured" -> "the backup's secrets key was set in its configuration (secrets.key): give this"
                            + " server the same setting";
                    default -> "the backup holds no secrets key (its server had none yet)";
                };
            } else if (keyFile == null) {
                boolean same = config.secretKey().strip().equals(new String(key, java.nio.charset.StandardCharsets.US_ASCII).strip());
                keyNote = same ? "the secrets key set in the configuration is the backup's"
                        : "WARNING: the secrets key set in the configuration (secrets.key) is not the backup's; the"
                        + " destinations' secrets open only with the backup's key: add the configured one to"
                        + " secrets.previous-keys and set secrets.key to the backup's, or use the key file";
            } else if (Files.exists(keyFile) && !keyDiffers) {
                keyNote = "the secrets key in " + keyFile + " is the backup's already";
            } else {
                if (Files.exists(keyFile)) {
                    Path keyAside = sibling(keyFile, ".replaced-" + stamp);
                    keptAside.add(Files.move(keyFile, keyAside));
                }
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                Path keyPartial = sibling(keyFile, ".restoring");
                Files.deleteIfExists(keyPartial);
                createOwnerOnly(keyPartial);
                Files.write(keyPartial, key);
                Files.move(keyPartial, keyFile, StandardCopyOption.ATOMIC_MOVE);
                keyNote = "secrets key restored to " + keyFile;
            }
            syncFolder(dataDir);
            // opened once here: a backup from an older version is migrated now, and a store that cannot be opened
            // says so now, not at the server's next start
            Stores.open(config).close();
            return new Restored(dataDir, manifest, events, keyNote, keptAside);
        } catch (java.util.zip.ZipException e) {
            throw new ConfigException(source + " is not a backup written by `touchpoint backup` (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + source + " into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> manifest(ZipFile zip, Path source) throws IOException {
        ZipEntry entry = zip.getEntry(MANIFEST);
        if (entry == null) {
            throw new ConfigException(source + " is not a backup written by `touchpoint backup` (no " + MANIFEST + ")");
        }
        JsonNode node = Json.MAPPER.readTree(read(zip, entry));
        int format = node.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new ConfigException(source + " is a backup of format " + format + ", which this version ("
                    + BuildInfo.current().version() + ") cannot read; restore it with the version that wrote it ("
                    + node.path("touchpoint_version").asText("unknown") + ") or a newer one");
        }
        if (!"sqlite".equals(node.path("store").asText())) {
            throw new ConfigException(source + " is not a backup of the embedded store");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.MAPPER.convertValue(node, LinkedHashMap.class);
        return m;
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readNBytes(1 << 20);
        }
    }

    private static void refusePostgres(ServerConfig config, String command) {
        if (config.usesPostgres()) {
            throw new ConfigException(command + " works on the embedded SQLite store, and this configuration uses PostgreSQL ("
                    + Stores.describe(config) + "): use pg_dump and pg_restore, as the README's \"Backup and restore\""
                    + " section shows");
        }
    }

    /** The secrets key file the server reads (when the key is not set inline). */
    static Path keyFile(ServerConfig config) {
        return (config.secretKeyFile() != null ? config.secretKeyFile() : config.dataDir().resolve(KEY)).toAbsolutePath().normalize();
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while it was being made: is another backup or restore running?", e);
        }
    }

    /** Makes the folder's new entries (a renamed file) durable, where the platform allows it. */
    private static void syncFolder(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform opens folders; the renamed file itself was forced
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover partial file is named as one
        }
    }

    /** For messages: {@code 12.3 MB}. */
    public static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024);
        return String.format(java.util.Locale.ROOT, "%.2f GB", bytes / 1024.0 / 1024 / 1024);
    }
}
