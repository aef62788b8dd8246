package io.touchpoint.storage.jdbc.sql;

import io.touchpoint.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Versioned schema migrations for one database kind: the files named in {@code <folder>/index.txt}, one
 * per line in version order ({@code V<n>__<name>.sql}), each applied in its own transaction with its
 * version recorded. Running them again changes nothing; a newer binary upgrades an older database in place.
 */
public final class Migrations {
    private final Class<?> anchor;
    private final String folder;
    private final String lockStatement;
    private final List<String> files;

    /**
     * @param anchor        the class whose package holds {@code folder}
     * @param folder        resource folder relative to {@code anchor}, e.g. "migrations"
     * @param lockStatement run first in every migration transaction so that two processes starting together
     *                      migrate one after the other (null when the database serialises writers itself)
     */
    public Migrations(Class<?> anchor, String folder, String lockStatement) {
        this.anchor = anchor;
        this.folder = folder;
        this.lockStatement = lockStatement;
        this.files = Arrays.stream(read(folder + "/index.txt").split("\n")).map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).startsWith("V" + (i + 1) + "__")) {
                throw new IllegalStateException(folder + "/index.txt line " + (i + 1) + " names " + files.get(i));
            }
        }
    }

    public int latest() {
        return files.size();
    }

    /** The version of the migration named {@code name} ({@code V<n>__<name>.sql}), for upgrade tests. */
    public int versionNamed(String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).endsWith("__" + name + ".sql")) return i + 1;
        }
        throw new IllegalArgumentException("no migration is named " + name);
    }

    /** Applies the migrations up to {@code target} (for upgrade tests); {@link #apply} goes to the latest. */
    public void applyUpTo(JdbcDatabase db, int target) {
        db.write(c -> {
            lock(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
            }
            return null;
        });
        for (int v = current(db) + 1; v <= target; v++) {
            String sql = read(folder + "/" + files.get(v - 1));
            int version = v;
            db.write(c -> {
                lock(c);
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

    public void apply(JdbcDatabase db) {
        applyUpTo(db, latest());
    }

    public int current(JdbcDatabase db) {
        return db.read(Migrations::currentOn);
    }

    private void lock(Connection c) throws SQLException {
        if (lockStatement == null) return;
        try (Statement s = c.createStatement()) {
            s.execute(lockStatement);
        }
    }

    private static int currentOn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private String read(String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read " + resource, e);
        }
    }

    /**
     * Splits a script on semicolons at line ends, except inside a {@code $$}-quoted body (a PostgreSQL DO block's
     * statements end in semicolons too); comment lines are dropped.
     */
    public static String[] statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        boolean quoted = false;
        for (String line : sql.split("\n")) {
            if (line.strip().startsWith("--")) continue;
            statement.append(line).append('\n');
            for (int i = line.indexOf("$$"); i >= 0; i = line.indexOf("$$", i + 2)) quoted = !quoted;
            if (!quoted && line.stripTrailing().endsWith(";")) {
                String s = statement.toString().strip();
                out.add(s.substring(0, s.length() - 1).strip());
                statement.setLength(0);
            }
        }
        out.add(statement.toString().strip());
        return out.stream().filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
