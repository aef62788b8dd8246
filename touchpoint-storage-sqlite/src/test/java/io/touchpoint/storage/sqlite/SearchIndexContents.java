package io.touchpoint.storage.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the people search's FTS5 index ({@code identity_link_search}) holds, read from the database file: each term
 * with the rows that hold it (an {@code fts5vocab} table of type {@code instance}, in the index's order), and the
 * bytes of its segments. The vocabulary is what a query sees, which skips a row only marked deleted; the segments'
 * bytes show whether its entries are really gone.
 */
record SearchIndexContents(Map<String, Set<Long>> rowsByTerm, String segments) {
    static SearchIndexContents of(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            // in the connection's temp schema: the file is not changed
            s.execute("CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, identity_link_search, instance)");
            Map<String, Set<Long>> rowsByTerm = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT term, doc FROM temp.search_terms")) {
                while (rs.next()) rowsByTerm.computeIfAbsent(rs.getString(1), t -> new HashSet<>()).add(rs.getLong(2));
            }
            StringBuilder segments = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SELECT block FROM identity_link_search_data")) {
                while (rs.next()) segments.append(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).append('\n');
            }
            return new SearchIndexContents(rowsByTerm, segments.toString());
        }
    }

    /** The index's rows of {@code profile}'s links. */
    static Set<Long> rowsOf(Path file, String profile) throws SQLException {
        Set<Long> rows = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = c.prepareStatement("SELECT rowid FROM identity_link_search WHERE profile_id = ?")) {
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(rs.getLong(1));
            }
        }
        return rows;
    }

    /** Whether FTS5's own check of the index finds it consistent. */
    static void checkIntegrity(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identity_link_search (identity_link_search) VALUES ('integrity-check')");
        }
    }

    /** The terms that only {@code rows} hold. */
    Set<String> termsOnlyIn(Set<Long> rows) {
        Set<String> terms = new HashSet<>();
        rowsByTerm.forEach((term, holders) -> {
            if (rows.containsAll(holders)) terms.add(term);
        });
        return terms;
    }

    /** The rows among {@code rows} that some term still holds. */
    Set<Long> held(Set<Long> rows) {
        Set<Long> held = new HashSet<>();
        rowsByTerm.values().forEach(holders -> holders.stream().filter(rows::contains).forEach(held::add));
        return held;
    }

    /**
     * Of {@code terms}, those whose characters lie side by side in the segments: a leaf page keeps of a term only
     * what follows the part it shares with the term before it, so a term whose first character differs from its
     * predecessor's is stored whole (the rest show only their ends, which other bytes may hold by chance).
     */
    List<String> storedWhole(Set<String> terms) {
        List<String> whole = new ArrayList<>();
        String previous = "";
        for (String term : rowsByTerm.keySet()) {
            if (terms.contains(term) && (previous.isEmpty() || previous.charAt(0) != term.charAt(0))) whole.add(term);
            previous = term;
        }
        return whole;
    }

    /** The bytes of {@code files}, one character each (absent files are empty). */
    static String bytesOf(List<Path> files) throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            if (Files.exists(f)) out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return out.toString();
    }
}
