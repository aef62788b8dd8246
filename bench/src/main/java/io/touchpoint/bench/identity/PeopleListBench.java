package io.touchpoint.bench.identity;

import io.touchpoint.bench.attribution.AttributionBench;
import io.touchpoint.bench.store.BenchStore;
import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.store.Page;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The people list ({@code IdentityStore.people}) over the database an {@link AttributionBench} load made: the most
 * recent page, the next page, a search many people match and one that finds one person, each {@code --requests} times
 * with the requesting thread's CPU (SQLite runs in it). With {@code --grouping true} it first times the query the
 * list's sights spare it, the first page grouped from every identifier link, on the same database. Opening the store
 * migrates an older database (its time is printed). Not a test: it asserts nothing.
 *
 * <pre>
 * bench/run.sh PeopleListBench --dir /tmp/tp-attr [--db jdbc:postgresql://…] [--requests 4] [--grouping true]
 * </pre>
 */
public final class PeopleListBench {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String GROUPING = "SELECT p.canonical_id, MIN(l.first_seen_at), MAX(l.last_seen_at) FROM identity_links l"
            + " JOIN identity_profiles p ON p.id = l.profile_id WHERE l.workspace_id = ? GROUP BY p.canonical_id"
            + " ORDER BY MAX(l.last_seen_at) DESC, p.canonical_id LIMIT 51";

    private PeopleListBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchStore bench = BenchStore.of(args, "people list", "/tmp/tp-attrbench");
        int requests = Integer.parseInt(bench.opt("requests", "4"));
        String ws;
        try (Connection c = BenchStore.bulkConnection(bench.db(), bench.dir());
             PreparedStatement ps = c.prepareStatement("SELECT id FROM workspaces ORDER BY id LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("no workspace: load the database first (AttributionBench --phase load)");
            ws = rs.getString(1);
            if (Boolean.parseBoolean(bench.opt("grouping", "false"))) {
                time("grouping every link, first page (the query the sights spare)", requests, () -> {
                    try (PreparedStatement g = c.prepareStatement(GROUPING)) {
                        g.setString(1, ws);
                        int rows = 0;
                        try (ResultSet r = g.executeQuery()) {
                            while (r.next()) rows++;
                        }
                        return rows + " rows";
                    }
                });
            }
        }
        long opened = System.nanoTime();
        try (Store store = bench.db() == null ? new SqliteStore(bench.dir().resolve(SqliteStore.FILE_NAME), true)
                : new PostgresStore(bench.db(), null, null)) {
            System.out.printf("store opened (migrations applied) in %.1f s, load %s%n", (System.nanoTime() - opened) / 1e9, BenchStore.loadAverage());
            String next = store.identity().people(ws, null, 50, null).nextCursor();
            time("most recent 50", requests, () -> describe(store.identity().people(ws, null, 50, null)));
            time("next page of 50 (cursor)", requests, () -> describe(store.identity().people(ws, null, 50, next)));
            for (String q : List.of("person12", "person599999@example.com")) {
                time("search '" + q + "', 50", requests, () -> describe(store.identity().people(ws, q, 50, null)));
            }
        }
    }

    private static String describe(Page<PersonSummary> page) {
        return page.items().size() + " people" + (page.items().isEmpty() ? "" : ", last seen " + page.items().getFirst().lastSeen());
    }

    private static void time(String what, int requests, Callable<String> request) throws Exception {
        for (int i = 0; i < requests; i++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            String result = request.call();
            System.out.printf("%-62s %9.1f ms   cpu %8.1f ms   %s   load %s%n", what, (System.nanoTime() - t0) / 1e6,
                    (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6, result, BenchStore.loadAverage());
        }
    }
}
