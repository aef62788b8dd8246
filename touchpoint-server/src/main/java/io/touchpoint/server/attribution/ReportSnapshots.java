package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.engine.IndexCodec;
import io.touchpoint.core.attribution.engine.ReportIndex;
import io.touchpoint.core.store.SettingsStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each workspace's report index kept in a file ({@code reports.snapshot-dir}, docs/CONFIGURATION.md), so that a server
 * starting reads it and brings it forward by the days changed since, instead of reading every row of the store. The
 * header names the workspace, the store's schema version, the data version the index is as of and a random token,
 * which the store's settings also hold for the workspace once the file is complete: a file whose token the store does
 * not hold (another store, a store restored from a backup older than the file, a file written by another server on the
 * same database since) is ignored, as is one of another format, another schema version or with a wrong checksum.
 * Ignored, the index is read from the store as without a file: a snapshot never changes a report's answer.
 */
public final class ReportSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSnapshots.class);
    /** Off: no file is read or written. */
    static final ReportSnapshots OFF = new ReportSnapshots(null, null, 0);
    static final String SUFFIX = ".index";
    private static final String TOKEN_KEY = "report_index_snapshot.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final SettingsStore settings;
    private final int schemaVersion;
    /** Per workspace, raised by {@link #forget}: a write of an index read before it is not kept. */
    private final Map<String, Long> forgotten = new HashMap<>();
    /** What writes the indexes held at a graceful stop ({@link #close}). */
    private final java.util.List<Runnable> atClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** An index read back: as of which data version, and when its file was written (epoch milliseconds). */
    record Snapshot(ReportIndex index, long version, long writtenAt) {
    }

    /** What a write needs, taken while the index's workspace is locked: {@link IndexCodec#profileNames} and the epoch. */
    record Pending(String workspaceId, ReportIndex index, String[] profileNames, long version, long epoch) {
    }

    ReportSnapshots(Path dir, SettingsStore settings, int schemaVersion) {
        this.dir = dir;
        this.settings = settings;
        this.schemaVersion = schemaVersion;
    }

    /** Snapshots in {@code dir} (null: off) of a store at {@code schemaVersion} (0, a store without one: off). */
    public static ReportSnapshots in(Path dir, SettingsStore settings, int schemaVersion) {
        return dir == null || schemaVersion <= 0 ? OFF : new ReportSnapshots(dir, settings, schemaVersion);
    }

    boolean on() {
        return dir != null && schemaVersion > 0;
    }

    Path file(String workspaceId) {
        return dir.resolve(workspaceId + SUFFIX);
    }

    /** Workspace ids are letters, digits and '_'; anything else has no file, rather than a path built from it. */
    private boolean kept(String workspaceId) {
        return on() && workspaceId.matches("[A-Za-z0-9_-]{1,100}");
    }

    /** The workspace's index as its file holds it, when the file is there and may be believed (see the class). */
    Optional<Snapshot> read(String workspaceId) {
        if (!kept(workspaceId)) return Optional.empty();
        Path file = file(workspaceId);
        String token = settings.get(TOKEN_KEY + workspaceId).orElse(null);
        long[] version = new long[1];
        String[] refused = new String[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<ReportIndex> ix = IndexCodec.read(ch::read, ch.size(), header -> {
                refused[0] = refusal(header, workspaceId, token, version);
                return refused[0] == null;
            });
            if (ix.isEmpty()) {
                LOG.info("report index snapshot {} ignored: {}", file, refused[0]);
                return Optional.empty();
            }
            return Optional.of(new Snapshot(ix.get(), version[0], Files.getLastModifiedTime(file).toMillis()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("report index snapshot {} ignored: {}", file, e.getMessage());
            return Optional.empty();
        } catch (OutOfMemoryError e) {
            LOG.warn("report index snapshot {} ignored: no room in the heap to read it", file);
            return Optional.empty();
        }
    }

    /** Why a header is refused, or null; sets {@code version[0]} to the data version it names. */
    private String refusal(byte[] header, String workspaceId, String token, long[] version) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(header))) {
            String ws = in.readUTF();
            int schema = in.readInt();
            String fileToken = in.readUTF();
            version[0] = in.readLong();
            if (!ws.equals(workspaceId)) return "written for workspace " + ws;
            if (schema != schemaVersion) return "written at schema version " + schema + ", the store is at " + schemaVersion;
            if (!fileToken.equals(token)) return "not the store's snapshot of the workspace (another store, or replaced since)";
            return null;
        } catch (IOException e) {
            return "its header is unreadable";
        }
    }

    /** The workspace's epoch now: taken before its index is read, handed to {@link #write} with it. */
    synchronized long epoch(String workspaceId) {
        return forgotten.getOrDefault(workspaceId, 0L);
    }

    /**
     * Writes the index to a new file and puts it in place of the old one (a rename, so a reader sees one or the other,
     * whole), then records its token in the store. Not kept when the workspace was {@link #forget forgotten} after the
     * index was read. Answers whether it was kept.
     */
    boolean write(Pending p) throws IOException {
        if (!kept(p.workspaceId())) return false;
        Files.createDirectories(dir);
        String token = HexFormat.of().formatHex(randomBytes());
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.writeUTF(p.workspaceId());
            out.writeInt(schemaVersion);
            out.writeUTF(token);
            out.writeLong(p.version());
        }
        Path file = file(p.workspaceId());
        Path temp = dir.resolve(p.workspaceId() + SUFFIX + ".writing");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                IndexCodec.write(p.index(), p.profileNames(), header.toByteArray(), ch::write);
                ch.force(true);
            }
            synchronized (this) {
                if (epoch(p.workspaceId()) != p.epoch()) return false;
                // the token first: a crash before the rename leaves the old file, whose token no longer matches
                settings.put(TOKEN_KEY + p.workspaceId(), token);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * Removes the workspace's file, and keeps any write of an index read before now from putting one back: after an
     * erasure, so that no file holds the erased person's rows. The next index read writes a new file.
     */
    public void forget(String workspaceId) {
        if (!kept(workspaceId)) return;
        synchronized (this) {
            forgotten.merge(workspaceId, 1L, Long::sum);
            try {
                Files.deleteIfExists(file(workspaceId));
            } catch (IOException e) {
                // not deleted: its token is dropped below, so it is never read again
                LOG.warn("report index snapshot {} not deleted: {}", file(workspaceId), e.getMessage());
            }
            settings.put(TOKEN_KEY + workspaceId, "forgotten");
        }
    }

    /** Runs {@code keep} at {@link #close}. */
    void atClose(Runnable keep) {
        if (on()) atClose.add(keep);
    }

    /**
     * At a graceful stop, once no report is asked and the stages have stopped, before the store closes: writes each
     * index held, brought forward, so that the next start reads nothing from the store that this process had read.
     */
    public void close() {
        for (Runnable keep : atClose) {
            try {
                keep.run();
            } catch (RuntimeException e) {
                LOG.warn("report indexes not kept at the stop: {}", e.toString());
            }
        }
    }

    boolean exists(String workspaceId) {
        return kept(workspaceId) && Files.exists(file(workspaceId));
    }
}
