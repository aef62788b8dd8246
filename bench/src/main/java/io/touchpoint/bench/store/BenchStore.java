package io.touchpoint.bench.store;

import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What a store benchmark with a load phase and a measure phase runs against: its {@code --name value} options, the
 * data folder (SQLite) or {@code --db} PostgreSQL URL, and the server settings for them.
 */
public record BenchStore(Map<String, String> opts, String phase, Path dir, String db, ServerConfig config) {
    /** Reads the options, makes the data folder and prints what the benchmark runs on. */
    public static BenchStore of(String[] args, String name, String defaultDir) throws IOException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        Path dir = Path.of(opts.getOrDefault("dir", defaultDir));
        Files.createDirectories(dir);
        String db = opts.get("db");
        Map<String, String> flags = new HashMap<>(Map.of("port", "0", "data", dir.toString(), "storage.sync", "normal"));
        if (db != null) flags.put("db", db);
        ServerConfig config = new ConfigLoader(null, Map.of(), flags).load();
        System.out.printf("%s benchmark on %s, %d CPUs, max heap %d MB, load %s%n", name, db == null ? "SQLite in " + dir
                : "PostgreSQL", Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        return new BenchStore(opts, opts.getOrDefault("phase", "all"), dir, db, config);
    }

    public String opt(String key, String fallback) {
        return opts.getOrDefault(key, fallback);
    }

    public boolean loads() {
        return phase.equals("load") || phase.equals("all");
    }

    public boolean measures() {
        return phase.equals("measure") || phase.equals("all");
    }

    /** A connection for bulk loading: PostgreSQL's driver is told to send batched inserts as multi-row ones. */
    public static Connection bulkConnection(String db, Path dir) throws SQLException {
        return db == null ? DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))
                : DriverManager.getConnection(db + (db.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
    }

    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
