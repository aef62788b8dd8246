package io.touchpoint.bench.identity;

import io.touchpoint.bench.load.Machine;
import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.MemoryIdentityGraph;
import io.touchpoint.core.identity.ResolutionInput;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.Store;
import io.touchpoint.storage.jdbc.JdbcStore;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.storage.sqlite.SqliteStore;
import io.touchpoint.tests.IdentityPartition;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identity-processor throughput (events resolved per second) on a synthetic stream: {@code --events} events
 * (default 1,000,000) over {@code --people} people (default 200,000), each with one to three devices (visitor
 * token, fingerprint + ip, fbp), an email and sometimes a phone; page views carry the device's identifiers and
 * sometimes a click id, a quarter of people fill a form on each device (token + email, merging devices), and
 * purchases arrive server-side with only the email. Measures:
 * <ol>
 *   <li>the pure rules over an in-memory graph;</li>
 *   <li>the rate at which the store commits the stream (batches of 1,000 events, as batch ingest does): the
 *       ingest ceiling the processor is compared with, in the same run;</li>
 *   <li>the store's processor ({@code IdentityStage.step}, batches of {@code --batch}) over a store the
 *       events were first committed to, in wall time and in the processor thread's CPU time (which a machine
 *       shared with other work disturbs less). The default batch is the server's while ingest is quiet (the
 *       store's {@code IdentityStage.quietBatch}), or 500
 *       with {@code --paced true}: beside active ingest the server takes shorter steps still, and a larger batch
 *       would keep giving the write lock to the paced commits and be redone at 500;</li>
 *   <li>while the processor works, a paced ingest commit (one event per commit, every 2 ms, as a quiet ingest
 *       writer does) and its latency, next to the same commits with the processor idle;</li>
 *   <li>the attribution stage (its own processor, behind the identity cursor) alone, for up to
 *       {@code --attribution-seconds}.</li>
 * </ol>
 * Each figure is printed with the machine's load average at the time. Not a test: it asserts nothing.
 *
 * <pre>
 * bench/run.sh IdentityProcessorBench \
 *     [--events 1000000] [--people 200000] [--batch N] [--paced true|false] [--memory true|false]
 *     [--attribution-seconds 60] [--db jdbc:postgresql://…] [--dir /tmp/tp-idbench]
 *     [--cache-links N]   (the store's identity.cache-links: links the processor keeps in memory between batches;
 *                          default the store's, an eighth of the heap)
 * </pre>
 */
public final class IdentityProcessorBench {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int events = Integer.parseInt(opts.getOrDefault("events", "1000000"));
        int people = Integer.parseInt(opts.getOrDefault("people", "200000"));
        boolean paced = Boolean.parseBoolean(opts.getOrDefault("paced", "true"));
        String batchOption = opts.get("batch");
        boolean memory = Boolean.parseBoolean(opts.getOrDefault("memory", "true"));
        String db = opts.get("db");
        int cacheLinks = opts.containsKey("cache-links") ? Integer.parseInt(opts.get("cache-links")) : JdbcStore.defaultIdentityCacheLinks();
        Path dir = Path.of(opts.getOrDefault("dir", Files.createTempDirectory("tp-idbench").toString()));

        Workspace ws = new Workspace("ws_bench", "bench", "px_bench", START, WorkspaceSettings.DEFAULTS);
        List<Event> stream = stream(ws.id(), events, people, new SplittableRandom(7));
        System.out.printf("identity processor: %,d events over %,d people (%,d identifiers per event on average)%n",
                events, people, stream.stream().mapToLong(e -> e.identifiers().size()).sum() / events);

        // 1. the pure rules, in memory
        for (int round = 0; round < (memory ? 2 : 0); round++) {
            MemoryIdentityGraph graph = new MemoryIdentityGraph();
            AtomicLong ids = new AtomicLong();
            long t0 = System.nanoTime();
            long seq = 0;
            for (Event e : stream) {
                seq++;
                graph.process(Guardrails.DEFAULTS, ResolutionInput.of(seq, e), () -> "p" + ids.incrementAndGet());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("in-memory rules%s: %.1f s, %,.0f events/s, %,d profiles (load %s)%n", round == 0 ? " (warm-up)" : "",
                    s, events / s, graph.partition().size(), Machine.load());
        }

        // 2. the store's processor, 3. ingest latency beside it
        try (Store store = db == null ? new SqliteStore(dir.resolve("bench.db"), true, cacheLinks) : new PostgresStore(db, null, null, cacheLinks)) {
            store.workspaces().create(ws);
            long t0 = System.nanoTime();
            for (int i = 0; i < stream.size(); i += 1000) {
                List<IngestRecord> records = new ArrayList<>();
                for (Event e : stream.subList(i, Math.min(stream.size(), i + 1000))) records.add(record(e));
                store.ingest().commit(records);
            }
            double ingestSeconds = (System.nanoTime() - t0) / 1e9;
            double ingestRate = events / ingestSeconds;
            System.out.printf("%nstore %s: %,d events committed in %.1f s, %,.0f events/s in commits of 1,000 (load %s)%n",
                    db == null ? "SQLite " + dir : "PostgreSQL", events, ingestSeconds, ingestRate, Machine.load());

            Histogram idle = paced ? pacedIngest(store, ws, 500, new AtomicBoolean(false), 100_000_000) : null;
            AtomicBoolean busy = new AtomicBoolean(true);
            Histogram[] during = new Histogram[1];
            Thread ingest = Thread.ofPlatform().start(() -> {
                if (paced) during[0] = pacedIngest(store, ws, Integer.MAX_VALUE, busy, 200_000_000);
            });
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            t0 = System.nanoTime();
            long done = 0;
            long lastReport = t0;
            int batch = batchOption != null ? Integer.parseInt(batchOption) : paced ? 500 : store.stages().identity().quietBatch();
            for (int n; (n = store.stages().identity().step(batch)) > 0; ) {
                done += n;
                if (System.nanoTime() - lastReport > 10e9) {
                    lastReport = System.nanoTime();
                    System.out.printf("  … %,d resolved, %,.0f events/s so far (load %s)%n", done, done / ((lastReport - t0) / 1e9),
                            Machine.load());
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            String load = Machine.load();
            busy.set(false);
            ingest.join();
            System.out.printf("identity.cache-links: %,d%n", cacheLinks);
            System.out.printf("store processor (batch %d%s): %,d events in %.1f s, %,.0f events/s; %.1f s of CPU, %,.0f events per CPU-second"
                            + " (load %s)%n", batch, paced ? ", paced ingest beside it" : "", done, s, done / s, cpu, done / cpu, load);
            System.out.printf("processor ÷ ingest commit rate, same run: %.2f%n", (done / s) / ingestRate);
            System.out.printf("profiles: %,d%n", (db == null ? IdentityPartition.ofSqlite(dir.resolve("bench.db"), ws.id())
                    : IdentityPartition.of(db, ws.id())).size());
            if (paced) {
                report("ingest commit, processor idle", idle);
                report("ingest commit, processor busy", during[0]);
            }
            // the attribution stage: its own processor and transactions, behind the identity cursor
            int attributionSeconds = Integer.parseInt(opts.getOrDefault("attribution-seconds", "60"));
            if (attributionSeconds > 0) {
                long a0 = System.nanoTime();
                long handled = 0;
                for (int n; System.nanoTime() - a0 < attributionSeconds * 1e9
                        && (n = store.stages().attribution().step(store.stages().attribution().quietBatch())) > 0; ) {
                    handled += n;
                }
                double as = (System.nanoTime() - a0) / 1e9;
                System.out.printf("attribution stage (batch %d, alone): %,d events in %.1f s, %,.0f events/s (load %s)%n",
                        store.stages().attribution().quietBatch(), handled, as, handled / as, Machine.load());
            }
        }
    }

    private static void report(String what, Histogram h) {
        System.out.printf("%s: %,d commits, p50 %.2f ms, p99 %.2f ms, max %.2f ms (load %s)%n", what, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, Machine.load());
    }

    /** One event per commit every 2 ms, up to {@code max} commits or until {@code keepGoing} turns false. */
    private static Histogram pacedIngest(Store store, Workspace ws, int max, AtomicBoolean keepGoing, long highest) {
        Histogram h = new Histogram(highest, 3);
        SplittableRandom rnd = new SplittableRandom(99);
        for (int i = 0; i < max && (max != Integer.MAX_VALUE || keepGoing.get()); i++) {
            Event e = event(ws.id(), "evt_paced_" + (keepGoing.get() ? "b" : "i") + i, "view_content",
                    START.plusSeconds(i), List.of(new Identifier(IdentifierType.VISITOR_TOKEN, "paced" + rnd.nextInt(1000))), null);
            long t = System.nanoTime();
            store.ingest().commit(List.of(record(e)));
            h.recordValue(Math.min(highest, System.nanoTime() - t));
            try {
                Thread.sleep(2);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return h;
    }

    private static IngestRecord record(Event e) {
        return new IngestRecord(new EventLogEntry(0, e.requestId(), 0, e.workspaceId(), e.receivedAt(), "/public-api/v1/events",
                "cometly", EventLogEntry.Outcome.ACCEPTED, 202, null, null, null, e.name(), null, e.id(), "{}"), e);
    }

    private static Event event(String ws, String id, String name, Instant at, List<Identifier> ids, String ip) {
        return new Event(id, ws, Source.COMETLY, "req_" + id, at, at, name, ids, null,
                new Context(ip, null, null, null, null, null), null, null, false, null, "{}");
    }

    /** The synthetic stream; people's devices and emails are fixed by their number. */
    static List<Event> stream(String ws, int events, int people, SplittableRandom rnd) {
        List<Event> out = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int person = rnd.nextInt(people);
            int devices = 1 + person % 3;
            int device = rnd.nextInt(devices);
            String token = "tok" + person + "-" + device;
            String ip = "10." + (person % 250) + "." + (person / 250 % 250) + "." + device;
            String email = "p" + person + "@example.org";
            Instant at = START.plusSeconds(i * 2L);
            List<Identifier> ids = new ArrayList<>(5);
            String name;
            int kind = rnd.nextInt(100);
            if (kind < 75) { // page view from a device
                name = "view_content";
                ids.add(new Identifier(IdentifierType.VISITOR_TOKEN, token));
                ids.add(new Identifier(IdentifierType.FINGERPRINT, "fp" + person + "-" + device));
                ids.add(new Identifier(IdentifierType.FBP, "fb.1." + person + device));
                if (rnd.nextInt(5) == 0) ids.add(new Identifier(IdentifierType.GCLID, "gclid" + rnd.nextInt(1 << 30)));
            } else if (kind < 90) { // form on a device
                name = "lead_generated";
                ids.add(new Identifier(IdentifierType.VISITOR_TOKEN, token));
                ids.add(new Identifier(IdentifierType.EMAIL, email));
                if (person % 4 == 0) ids.add(new Identifier(IdentifierType.PHONE, "+1415" + String.format("%07d", person)));
            } else { // server-side purchase: only the email, sometimes only fingerprint + ip
                name = "purchase";
                if (rnd.nextInt(4) == 0) ids.add(new Identifier(IdentifierType.FINGERPRINT, "fp" + person + "-" + device));
                else ids.add(new Identifier(IdentifierType.EMAIL, email));
            }
            out.add(event(ws, String.format("evt_b%08d", i), name, at, ids, ip));
        }
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        return m;
    }
}
