package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.StoreException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What backup and restore do to the embedded store's file from outside the server that has it open: a consistent
 * copy while it runs, a check of a copy, and whether any process has a database open.
 */
public final class SqliteFiles {
    /**
     * SQLite's unix VFS: each connection to a database in WAL mode holds a shared lock on this byte of the
     * {@code -shm} file for as long as it is open (the "DMS" lock after the 8 WAL locks at byte 120).
     */
    static final long SHM_DMS_BYTE = 128;

    private SqliteFiles() {
    }

    /**
     * The people search's index file beside {@code database}, with its WAL and shared-memory files: derived from the
     * database, and built again from it by the server when missing or not the database's own.
     */
    public static List<Path> searchIndexFiles(Path database) {
        Path index = SqliteDatabase.searchFile(database);
        return List.of(index, index.resolveSibling(index.getFileName() + "-wal"), index.resolveSibling(index.getFileName() + "-shm"));
    }

    /**
     * Writes a consistent copy of {@code database} to {@code target} (which must not exist) with {@code VACUUM INTO}:
     * one read transaction, so the copy holds exactly the commits made before it began, whatever other connections
     * and processes commit meanwhile. Readers never wait for the server's writes in WAL mode, nor it for them; the
     * server's write-ahead log only grows until the copy is done.
     */
    public static void snapshot(Path database, Path target) {
        if (!Files.isRegularFile(database)) throw new StoreException("no SQLite database at " + database, null);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + SqliteDatabase.BUSY_TIMEOUT_MILLIS);
            }
            try (PreparedStatement p = c.prepareStatement("VACUUM INTO ?")) {
                p.setString(1, target.toAbsolutePath().toString());
                p.execute();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot copy " + database + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * SQLite's {@code PRAGMA quick_check} of a database no other process uses: an empty list when the file is sound,
     * else the problems it found (the first 20).
     */
    public static List<String> check(Path database) {
        if (!Files.isRegularFile(database)) return List.of("no such file: " + database);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA quick_check(20)")) {
            List<String> problems = new ArrayList<>();
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) problems.add(line);
            }
            return problems;
        } catch (SQLException e) {
            return List.of(e.getMessage());
        }
    }

    /** {@code SELECT count(*) FROM table} on a database no other process uses. */
    public static long count(Path database, String table) {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException("not a table name: " + table);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot count " + table + " in " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether another process has {@code database} open (a server, a command): it then holds its shared lock on the
     * {@code -shm} file, which this process asks for exclusively for an instant. A file no process opened since its
     * last one closed, or that a killed process left behind, holds no lock.
     * <p>
     * Only for processes that do not open the same database themselves: POSIX locks belong to the process, so this
     * one's own connections are invisible here, and closing the probe's file would drop their locks.
     *
     * @throws StoreException when the {@code -shm} file exists but cannot be opened to find out (permissions)
     */
    public static boolean inUse(Path database) {
        Path shm = database.resolveSibling(database.getFileName() + "-shm");
        try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock(SHM_DMS_BYTE, 1, false);
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot tell whether a process has " + database + " open: " + e.getMessage(), e);
        }
    }
}
