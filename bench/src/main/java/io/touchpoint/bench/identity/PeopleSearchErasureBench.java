package io.touchpoint.bench.identity;

import io.touchpoint.bench.store.BenchStore;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.sqlite.SqliteFiles;
import io.touchpoint.storage.sqlite.SqliteStore;
import io.touchpoint.tests.Fixtures;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What keeping the people search's trigram index (SQLite FTS5, in its own file beside the database) costs an erasure,
 * and the searches beside it. The load phase writes {@code --links} identifier links straight into the tables (half
 * the people, an email and a random visitor token each; a trigger queues them for the index), runs the people-search
 * index stage until it has indexed them all, then merges the index into one segment.
 * The measure phase opens the store (which migrates an older database: its time and the opening thread's CPU are
 * printed), times searches, erases {@code --erasures} people spread over the index ({@code IdentityStore.erase}:
 * the write, which holds the write lock ingest shares, and the WAL's truncation after it; the events log is empty),
 * then times the searches again. CPU is the calling thread's: SQLite runs in it. Not a test: it asserts nothing.
 *
 * <pre>
 * bench/run.sh PeopleSearchErasureBench --dir /tmp/tp-search --phase load --links 1000000
 * bench/run.sh PeopleSearchErasureBench --dir /tmp/tp-search --phase measure [--erasures 20] [--requests 8]
 * </pre>
 */
public final class PeopleSearchErasureBench {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int ROWS_PER_COMMIT = 20_000;

    private PeopleSearchErasureBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchStore bench = BenchStore.of(args, "people search erasure", "/tmp/tp-search");
        if (bench.db() != null) throw new IllegalArgumentException("SQLite only: the PostgreSQL index is a GIN index");
        if (bench.loads()) load(bench, Integer.parseInt(bench.opt("links", "1000000")));
        if (bench.measures()) measure(bench, Integer.parseInt(bench.opt("erasures", "20")), Integer.parseInt(bench.opt("requests", "8")));
    }

    private static void load(BenchStore bench, int links) throws Exception {
        String ws;
        try (Store store = open(bench)) {
            Workspace w = Fixtures.workspace("search");
            store.workspaces().create(w);
            ws = w.id();
        }
        Random rnd = new Random(1);
        long t0 = System.nanoTime();
        try (Connection c = BenchStore.bulkConnection(null, bench.dir());
             PreparedStatement profile = c.prepareStatement("INSERT INTO identity_profiles (id, workspace_id, created_seq,"
                     + " created_at, merged_into, canonical_id) VALUES (?, ?, ?, 0, NULL, ?)");
             PreparedStatement person = c.prepareStatement("INSERT INTO identity_people (canonical_id, workspace_id,"
                     + " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)");
             PreparedStatement link = c.prepareStatement("INSERT INTO identity_links (workspace_id, type, value, profile_id,"
                     + " rule, event_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'exact', 'evt_bench', ?, ?)")) {
            c.setAutoCommit(false);
            for (int p = 0; p < links / 2; p++) {
                String id = profileId(p);
                profile.setString(1, id);
                profile.setString(2, ws);
                profile.setLong(3, p + 1);
                profile.setString(4, id);
                profile.executeUpdate();
                person.setString(1, id);
                person.setString(2, ws);
                person.setLong(3, p * 1000L);
                person.setLong(4, p * 1000L + 500);
                person.executeUpdate();
                for (String[] l : new String[][]{{"email", "person" + p + "@example.com"}, {"visitor_token", token(rnd)}}) {
                    link.setString(1, ws);
                    link.setString(2, l[0]);
                    link.setString(3, l[1]);
                    link.setString(4, id);
                    link.setLong(5, p * 1000L);
                    link.setLong(6, p * 1000L + 500);
                    link.executeUpdate();
                }
                if ((p + 1) % (ROWS_PER_COMMIT / 2) == 0) c.commit();
            }
            c.commit();
            System.out.printf("%,d links written and queued in %.1f s, load %s%n", links, (System.nanoTime() - t0) / 1e9, BenchStore.loadAverage());
        }
        long t1 = System.nanoTime();
        try (Store store = open(bench)) {
            while (store.stages().peopleSearchIndex().step(20_000) > 0) {
                // until every queued link is in the index file
            }
        }
        System.out.printf("links indexed in %.1f s, load %s%n", (System.nanoTime() - t1) / 1e9, BenchStore.loadAverage());
        long t2 = System.nanoTime();
        try (Connection c = indexConnection(bench); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identity_link_search (identity_link_search) VALUES ('optimize')");
        }
        System.out.printf("index merged into one segment in %.1f s, load %s%n", (System.nanoTime() - t2) / 1e9, BenchStore.loadAverage());
    }

    private static Connection indexConnection(BenchStore bench) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + SqliteFiles.searchIndexFiles(bench.dir().resolve(SqliteStore.FILE_NAME)).getFirst());
    }

    private static void measure(BenchStore bench, int erasures, int requests) throws Exception {
        String ws;
        int people;
        try (Connection c = BenchStore.bulkConnection(null, bench.dir()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT id FROM workspaces LIMIT 1), (SELECT COUNT(*) FROM identity_people)")) {
            rs.next();
            ws = rs.getString(1);
            people = rs.getInt(2);
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (Store store = open(bench)) {
            System.out.printf("store opened (migrations applied) in %.1f s, cpu %.1f s, load %s%n", (System.nanoTime() - t0) / 1e9,
                    (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9, BenchStore.loadAverage());
            indexSize(bench);
            searches(store, ws, people, requests);
            List<Double> wall = new ArrayList<>(), cpus = new ArrayList<>();
            for (int i = 0; i < erasures; i++) {
                String profile = profileId((int) ((long) people * i / erasures) + 7);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                boolean erased = store.identity().erase(ws, profile);
                wall.add((System.nanoTime() - w0) / 1e6);
                cpus.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e6);
                if (!erased) throw new IllegalStateException(profile + " was not found: erased by an earlier run?");
            }
            System.out.printf("erase one person (2 links), %d erasures: wall %s ms, cpu %s ms, load %s%n", erasures,
                    spread(wall), spread(cpus), BenchStore.loadAverage());
            searches(store, ws, people, requests);
        }
        indexSize(bench);
    }

    private static void searches(Store store, String ws, int people, int requests) {
        String one = "person" + (people / 2 + 1) + "@example.com";
        for (String q : List.of("person499", one, "xq3")) {
            List<Double> wall = new ArrayList<>(), cpus = new ArrayList<>();
            int found = 0;
            for (int i = 0; i < requests; i++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                found = store.identity().people(ws, q, 50, null).items().size();
                wall.add((System.nanoTime() - w0) / 1e6);
                cpus.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e6);
            }
            System.out.printf("search %-28s %2d people  wall %s ms, cpu %s ms, load %s%n", "'" + q + "', 50:", found, spread(wall),
                    spread(cpus), BenchStore.loadAverage());
        }
    }

    private static void indexSize(BenchStore bench) throws Exception {
        try (Connection c = indexConnection(bench); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(length(block)), COUNT(*) FROM identity_link_search_data")) {
            rs.next();
            System.out.printf("index segments: %.1f MB in %,d blocks%n", rs.getLong(1) / 1e6, rs.getLong(2));
        }
    }

    private static Store open(BenchStore bench) {
        return new SqliteStore(bench.dir().resolve(SqliteStore.FILE_NAME), true);
    }

    private static String profileId(int p) {
        return String.format("prf_bench_%07d", p);
    }

    /** A visitor token of 20 random lower-case letters and digits: many distinct trigrams, as real tokens have. */
    private static String token(Random rnd) {
        StringBuilder t = new StringBuilder("vt-");
        for (int i = 0; i < 20; i++) t.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(rnd.nextInt(36)));
        return t.toString();
    }

    /** Median, then the least and most, of {@code values}. */
    private static String spread(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("median %.1f (%.1f – %.1f)", sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast());
    }
}
