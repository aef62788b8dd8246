package io.touchpoint.storage.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Versioned schema migrations: the files named in {@code migrations/index.txt}, one per line in version
 * order ({@code V<n>__<name>.sql}), applied in order,
 * each in its own transaction with its version recorded, so running them again changes nothing and a
 * newer binary upgrades an older file in place.
 */
final class Migrations {
    private static final List<String> FILES = index();
    static final int LATEST = FILES.size();

    private Migrations() {
    }

    static void apply(SqliteDatabase db) {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
            }
            return null;
        });
        for (int v = current(db) + 1; v <= LATEST; v++) {
            String sql = load(v);
            int version = v;
            db.write(c -> {
                if (currentOn(c) >= version) return null; // another process got here first
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(sql)) s.execute(statement);
                    s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + version + ", "
                            + System.currentTimeMillis() + ")");
                }
                return null;
            });
        }
    }

    static int current(SqliteDatabase db) {
        return db.write(Migrations::currentOn);
    }

    private static int currentOn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static List<String> index() {
        return Arrays.stream(read("migrations/index.txt").split("\n")).map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    private static String load(int version) {
        String file = FILES.get(version - 1);
        if (!file.startsWith("V" + version + "__")) {
            throw new IllegalStateException("migrations/index.txt line " + version + " names " + file);
        }
        return read("migrations/" + file);
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read " + resource, e);
        }
    }

    /** Splits a script on semicolons at line ends; comment lines are dropped. */
    static String[] statements(String sql) {
        StringBuilder clean = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) clean.append(line).append('\n');
        }
        return Arrays.stream(clean.toString().split(";\\s*\n"))
                .map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
