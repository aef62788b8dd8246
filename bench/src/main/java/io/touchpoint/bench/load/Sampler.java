package io.touchpoint.bench.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU went during a measured window, and what the server's own metrics say about its ingest
 * writer. The machine is shared, so the window records how busy all its cores were, how much of that was
 * this JVM, and — by thread name — how this JVM's share split between the server and the load generator.
 */
public final class Sampler {
    private static final List<String> METRICS = List.of(
            "touchpoint_ingest_batch_size_count", "touchpoint_ingest_batch_size_sum",
            "touchpoint_ingest_commit_seconds_count", "touchpoint_ingest_commit_seconds_sum",
            "touchpoint_identity_events_resolved_total", "touchpoint_identity_lag_events",
            "touchpoint_attribution_items_processed_total", "touchpoint_attribution_lag_events");
    /** The server's ingest writer thread (IngestWriter names it so). */
    static final String WRITER_THREAD = "ingest-writer";
    private final String metricsUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public record Snapshot(long nanos, long[] procStat, long cpuStallMicros, long ioStallMicros, long processCpuNanos,
                    long gcCount, long gcMillis, Map<Long, ThreadCpu> threadCpu, Map<String, Double> metrics,
                    long[] writerSchedstat) {
    }

    record ThreadCpu(String name, long nanos) {
    }

    /** The CPU time of this JVM's live thread of this name (0 when there is none). */
    public static long threadCpuNanos(String name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals(name)) return Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
        }
        return 0;
    }

    public Sampler(String baseUrl) {
        this.metricsUrl = baseUrl + "/metrics";
    }

    public Snapshot take() {
        Map<Long, ThreadCpu> cpu = new HashMap<>();
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t == null) continue;
                long n = threads.getThreadCpuTime(t.getThreadId());
                if (n >= 0) cpu.put(t.getThreadId(), new ThreadCpu(t.getThreadName(), n));
            }
        }
        long gcCount = 0, gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new Snapshot(System.nanoTime(), procStat(), stallMicros("cpu"), stallMicros("io"), process, gcCount,
                gcMillis, cpu, scrape(), schedstat(WRITER_THREAD));
    }

    /** The window between two snapshots, ready for the results file. */
    public Map<String, Object> between(Snapshot a, Snapshot b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        if (a.procStat() != null && b.procStat() != null) {
            long total = 0, idle = 0;
            for (int i = 0; i < a.procStat().length; i++) total += b.procStat()[i] - a.procStat()[i];
            idle = (b.procStat()[3] - a.procStat()[3]) + (b.procStat()[4] - a.procStat()[4]);
            double busyCores = total == 0 ? 0 : cores * (double) (total - idle) / total;
            out.put("machine_busy_cores", round(busyCores));
            if (a.processCpuNanos() >= 0) {
                double jvm = (b.processCpuNanos() - a.processCpuNanos()) / 1e9 / seconds;
                out.put("this_jvm_cores", round(jvm));
                out.put("other_processes_cores", round(Math.max(0, busyCores - jvm)));
            }
        }
        out.put("cores", cores);
        if (a.cpuStallMicros() >= 0 && b.cpuStallMicros() >= 0) {
            // Linux pressure stall information: the share of the window in which some runnable task waited for a core
            out.put("cpu_pressure_some", round((b.cpuStallMicros() - a.cpuStallMicros()) / 1e6 / seconds));
        }
        if (a.ioStallMicros() >= 0 && b.ioStallMicros() >= 0) {
            out.put("io_pressure_some", round((b.ioStallMicros() - a.ioStallMicros()) / 1e6 / seconds));
        }
        Map<String, Double> groups = new TreeMap<>();
        for (var e : b.threadCpu().entrySet()) {
            ThreadCpu before = a.threadCpu().get(e.getKey());
            long used = e.getValue().nanos() - (before == null ? 0 : before.nanos());
            if (used > 0) groups.merge(group(e.getValue().name()), used / 1e9 / seconds, Double::sum);
        }
        Map<String, Double> side = new LinkedHashMap<>();
        side.put("server", 0.0);
        side.put("load_generator", 0.0);
        groups.forEach((g, c) -> side.merge(side(g), c, Double::sum));
        if (a.processCpuNanos() >= 0) {
            // JIT compiler and GC threads are not visible as Java threads: they are what the threads leave over
            double jvm = (b.processCpuNanos() - a.processCpuNanos()) / 1e9 / seconds;
            double threadsTotal = groups.values().stream().mapToDouble(Double::doubleValue).sum();
            side.put("jit_gc_vm", Math.max(0, jvm - threadsTotal));
        }
        side.replaceAll((k, v) -> round(v));
        out.put("this_jvm_cores_by_side", side);
        Map<String, Double> top = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> top.put(e.getKey(), round(e.getValue())));
        out.put("jvm_threads_cores_by_group", top);
        out.put("gc_collections", b.gcCount() - a.gcCount());
        out.put("gc_pause_ms", b.gcMillis() - a.gcMillis());
        Map<String, Double> ma = a.metrics(), mb = b.metrics();
        Double commits = delta(ma, mb, "touchpoint_ingest_commit_seconds_count");
        Double commitSeconds = delta(ma, mb, "touchpoint_ingest_commit_seconds_sum");
        Double records = delta(ma, mb, "touchpoint_ingest_batch_size_sum");
        if (commits != null && commits > 0) {
            Map<String, Object> writer = new LinkedHashMap<>();
            writer.put("commits", commits.longValue());
            writer.put("commits_per_second", round(commits / seconds));
            if (records != null) writer.put("mean_records_per_commit", round(records / commits));
            if (commitSeconds != null) {
                writer.put("mean_commit_ms", round(commitSeconds * 1000 / commits));
                // the share of the window the one writer thread spent inside store.commit
                writer.put("writer_busy_fraction", round(commitSeconds / seconds));
            }
            long[] sa = a.writerSchedstat(), sb = b.writerSchedstat();
            if (sa != null && sb != null) {
                // from the kernel's view of the writer thread: on a core, runnable but waiting for one, or
                // neither (blocked: fsync and other I/O, or idle waiting for work)
                double window = b.nanos() - a.nanos();
                double onCpu = (sb[0] - sa[0]) / window, waitingForCpu = (sb[1] - sa[1]) / window;
                writer.put("thread_on_cpu_fraction", round(onCpu));
                writer.put("thread_runnable_waiting_for_cpu_fraction", round(waitingForCpu));
                writer.put("thread_blocked_or_idle_fraction", round(Math.max(0, 1 - onCpu - waitingForCpu)));
            }
            out.put("ingest_writer", writer);
        }
        // did the processor stages keep up? what they handled in the window, and how far behind they were at its end
        Map<String, Object> stages = new LinkedHashMap<>();
        Double resolved = delta(ma, mb, "touchpoint_identity_events_resolved_total");
        Double attributed = delta(ma, mb, "touchpoint_attribution_items_processed_total");
        if (resolved != null) stages.put("identity_events_per_second", round(resolved / seconds));
        if (mb.get("touchpoint_identity_lag_events") != null) stages.put("identity_lag_at_end", mb.get("touchpoint_identity_lag_events").longValue());
        if (attributed != null) stages.put("attribution_items_per_second", round(attributed / seconds));
        if (mb.get("touchpoint_attribution_lag_events") != null) {
            stages.put("attribution_lag_at_end", mb.get("touchpoint_attribution_lag_events").longValue());
        }
        if (!stages.isEmpty()) out.put("processor_stages", stages);
        return out;
    }

    /**
     * Waits until the server's identity and attribution stages report no lag (its /metrics) on scrapes over 1.2 s
     * apart, since a lag there may be up to a second old; answers the seconds waited until the first of them, or -1 if
     * they had not caught up within {@code limit}.
     */
    public double awaitStagesCaughtUp(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long zeroSince = -1;
        while (System.nanoTime() - start < limit.toNanos()) {
            Map<String, Double> m = scrape();
            Double identity = m.get("touchpoint_identity_lag_events"), attribution = m.get("touchpoint_attribution_lag_events");
            if (identity == null || attribution == null) return -1;
            long now = System.nanoTime();
            if (identity == 0 && attribution == 0) {
                if (zeroSince < 0) zeroSince = now;
                else if (now - zeroSince >= 1_200_000_000L) return (zeroSince - start) / 1e9;
            } else {
                zeroSince = -1;
            }
            Thread.sleep(200);
        }
        return -1;
    }

    /** Thread names without their numbers, e.g. "ForkJoinPool-#-worker-#". */
    static String group(String name) {
        return name.replaceAll("\\d+", "#");
    }

    /** The load generator's threads are named by this program (and the JDK client it may use); the rest serve. */
    static String side(String group) {
        if (group.startsWith("bench-") || group.startsWith("HttpClient-") || group.equals("main")) return "load_generator";
        return "server";
    }

    private static Double delta(Map<String, Double> a, Map<String, Double> b, String key) {
        Double x = a.get(key), y = b.get(key);
        return x == null || y == null ? null : y - x;
    }

    private Map<String, Double> scrape() {
        Map<String, Double> out = new HashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metricsUrl))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return out;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("#")) continue;
                int space = line.lastIndexOf(' ');
                if (space < 0) continue;
                String name = line.substring(0, space);
                int brace = name.indexOf('{');
                String bare = brace < 0 ? name : name.substring(0, brace);
                if (!METRICS.contains(bare)) continue;
                try {
                    out.merge(bare, Double.parseDouble(line.substring(space + 1)), Double::sum);
                } catch (NumberFormatException ignored) {
                    // not a sample line
                }
            }
        } catch (IOException e) {
            System.err.println("bench: cannot read " + metricsUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /**
     * /proc/self/task/TID/schedstat of the thread with this name (Linux names native threads after Java's,
     * up to 15 characters): nanoseconds on a core, nanoseconds runnable waiting for one, timeslices.
     */
    private static long[] schedstat(String threadName) {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended
                }
                if (!comm.equals(threadName)) continue;
                String[] f = Files.readString(task.resolve("schedstat")).strip().split("\\s+");
                return new long[]{Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The "some" total of /proc/pressure/{kind} in microseconds, or -1 where there is none. */
    private static long stallMicros(String kind) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/" + kind))) {
                if (line.startsWith("some ")) {
                    int i = line.indexOf("total=");
                    if (i >= 0) return Long.parseLong(line.substring(i + 6).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** user nice system idle iowait irq softirq steal, summed over all cores; null off Linux. */
    private static long[] procStat() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long[] v = new long[8];
                    for (int i = 0; i < 8 && i + 1 < f.length; i++) v[i] = Long.parseLong(f[i + 1]);
                    return v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    public static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
