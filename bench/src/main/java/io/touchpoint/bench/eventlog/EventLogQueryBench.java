package io.touchpoint.bench.eventlog;

import io.touchpoint.core.stage.Stage;
import io.touchpoint.core.store.EventLogCursor;
import io.touchpoint.core.store.EventLogEntry.Outcome;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Page;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * How the events-log queries cost as the log grows: fills a store with synthetic log rows (10 workspaces,
 * 14 event names, 5% rejected, 200,000 distinct emails, one row a millisecond) in steps up to the largest
 * size, and after each step times every query shape the events-log API can send, for one workspace.
 * Reports the median and 95th percentile of repeated runs. Not a test: it asserts nothing.
 *
 * <pre>
 * bench/run.sh EventLogQueryBench \
 *     [--sizes 100000,1000000,10000000] [--db jdbc:postgresql://…] [--dir /tmp/tp-logbench]
 * </pre>
 */
public final class EventLogQueryBench {
    private static final String[] NAMES = {"lead_generated", "view_content", "schedule", "purchase", "subscribe",
            "add_to_cart", "contact", "initiate_checkout", "add_payment_info", "complete_registration", "start_trial",
            "sign_up", "submit_application", "webinar_registration"};
    private static final int WORKSPACES = 10;
    private static final int EMAILS = 200_000;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int RUNS = 40;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        long[] sizes = Arrays.stream(opts.getOrDefault("sizes", "100000,1000000,10000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        String db = opts.get("db");
        Path dir = Path.of(opts.getOrDefault("dir", Files.createTempDirectory("tp-logbench").toString()));
        try (Store store = db == null ? new SqliteStore(dir.resolve("bench.db"), true) : new PostgresStore(db, null, null)) {
            System.out.printf("events-log query cost, store %s%n", db == null ? "SQLite " + dir : "PostgreSQL");
            long filled = 0;
            for (long size : sizes) {
                long t0 = System.nanoTime();
                fill(store, filled, size);
                double fillSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%n%,d rows (%,d added in %.0f s, %,.0f rows/s)%n", size, size - filled, fillSeconds,
                        (size - filled) / fillSeconds);
                filled = size;
                for (var q : queries(store, size).entrySet()) {
                    double[] ms = time(q.getValue());
                    System.out.printf("  %-28s median %8.3f ms   p95 %8.3f ms%n", q.getKey(), ms[0], ms[1]);
                }
            }
        }
    }

    /** Every query shape of GET /api/v1/events-log, for workspace 3, against a log of {@code size} rows. */
    private static Map<String, Supplier<Object>> queries(Store s, long size) {
        String ws = "ws_3";
        Map<String, Supplier<Object>> q = new LinkedHashMap<>();
        q.put("newest page (50)", () -> s.eventLog().search(query(ws, null, null, null, null, null, null, null)));
        q.put("outcome=rejected", () -> s.eventLog().search(query(ws, Outcome.REJECTED, null, null, null, null, null, null)));
        q.put("event_name=purchase", () -> s.eventLog().search(query(ws, null, "purchase", null, null, null, null, null)));
        q.put("email=one person", () -> s.eventLog().search(query(ws, null, null, email(12_345), null, null, null, null)));
        q.put("request_id (search)", () -> s.eventLog().search(query(ws, null, null, null, requestId(size / 2), null, null, null)));
        q.put("by request id", () -> s.eventLog().byRequestId(ws, requestId(size / 2 - (size / 2) % WORKSPACES + 3)));
        Instant mid = START.plusMillis(size / 2);
        q.put("from=middle (newest first)", () -> s.eventLog().search(query(ws, null, null, null, null, mid, null, null)));
        q.put("to=middle (older half)", () -> s.eventLog().search(query(ws, null, null, null, null, null, mid, null)));
        q.put("10 pages via cursor", () -> {
            EventLogCursor cursor = null;
            for (int i = 0; i < 10; i++) {
                Page<EventLogEntry> p = s.eventLog().search(query(ws, null, null, null, null, null, null, cursor));
                cursor = EventLogCursor.parse(p.nextCursor()).orElse(null);
            }
            return cursor;
        });
        // a live tail a second or two behind: 20 rows committed since (2 of them this workspace's)
        q.put("tail poll (since, 20 new)", () -> s.eventLog().search(new EventLogQuery(ws, null, null, null, null, null,
                null, null, s.eventLog().latestSequence() - 20, 50)));
        q.put("tail poll, rejected", () -> s.eventLog().search(new EventLogQuery(ws, Outcome.REJECTED, null, null, null,
                null, null, null, s.eventLog().latestSequence() - 20, 50)));
        q.put("latest sequence", () -> s.eventLog().latestSequence());
        return q;
    }

    private static EventLogQuery query(String ws, Outcome outcome, String name, String email, String requestId,
                                       Instant from, Instant to, EventLogCursor before) {
        return new EventLogQuery(ws, outcome, name, email, requestId, from, to, before, 50);
    }

    private static double[] time(Supplier<Object> query) {
        for (int i = 0; i < 5; i++) query.get();
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            query.get();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return new double[]{nanos[RUNS / 2] / 1e6, nanos[(int) (RUNS * 0.95)] / 1e6};
    }

    /** Appends rows {@code from} … {@code to - 1}; row i belongs to workspace i % 10. */
    private static void fill(Store store, long from, long to) {
        SplittableRandom rnd = new SplittableRandom(from);
        List<IngestRecord> batch = new ArrayList<>(5_000);
        for (long i = from; i < to; i++) {
            boolean rejected = rnd.nextInt(20) == 0;
            String email = email(rnd.nextInt(EMAILS));
            String name = NAMES[rnd.nextInt(NAMES.length)];
            batch.add(IngestRecord.rejected(new EventLogEntry(0, requestId(i), 0, "ws_" + (i % WORKSPACES),
                    START.plusMillis(i), "/public-api/v1/events", "cometly", rejected ? Outcome.REJECTED : Outcome.ACCEPTED,
                    rejected ? 422 : 202, rejected ? "invalid_value" : null, rejected ? "phone" : null,
                    rejected ? "phone is not a phone number" : null, name, email, rejected ? null : "evt_" + i,
                    "{\"event_name\":\"" + name + "\",\"email\":\"" + email + "\",\"amount\":" + rnd.nextInt(500) + "}")));
            if (batch.size() == 5_000) {
                store.ingest().commit(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) store.ingest().commit(batch);
        // the identifier (and email) searches read the index the log's stage builds off the ingest path, as a server has
        // done within moments of each commit
        Stage index = store.stages().eventLogIndex();
        while (index.step(index.quietBatch()) > 0) {
            // until caught up
        }
    }

    private static String email(int i) {
        return "person" + i + "@example.com";
    }

    private static String requestId(long i) {
        return "req_bench_" + i;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        return m;
    }
}
