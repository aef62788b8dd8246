package io.touchpoint.bench.delivery;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.touchpoint.bench.load.Machine;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.DestinationStats;
import io.touchpoint.core.store.DestinationStore;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Once a second while a delivery phase runs: the server's /metrics (deliveries by type and outcome, the stages' lags,
 * the open outbox), the delivery stage's cursor, and per destination its outbox counted by status through the store
 * ({@link DestinationStore#stats}), which is exact per destination. Keeps the series for the results and prints a
 * progress line. Scraping /metrics computes {@code touchpoint_delivery_outbox_open}, a count of the open entries, and
 * the per-destination counts read the outbox's status index: the time both take is recorded with each sample.
 */
final class DeliveryMonitor implements AutoCloseable {
    /** type name → [open, sent, dead, skipped] from the store. */
    record Sample(double t, long nanos, Map<String, Double> metrics, long cursor, Map<String, long[]> perDestination,
                  double fakesCpu, String load, double sampleMillis) {
        long open(String type) {
            long[] c = perDestination.get(type);
            return c == null ? -1 : c[0];
        }

        long sent(String type) {
            long[] c = perDestination.get(type);
            return c == null ? -1 : c[1];
        }

        double metric(String name) {
            Double v = metrics.get(name);
            return v == null ? Double.NaN : v;
        }

        /** touchpoint_deliveries_total for one type and outcome (attempt results, counted by the senders). */
        double deliveries(String type, String outcome) {
            return sum(metrics, "touchpoint_deliveries_total", "type=\"" + type + "\"", "outcome=\"" + outcome + "\"");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String metricsUrl;
    private final DestinationStore store;
    private final FakesProcess fakes;
    private final List<Sample> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private ScheduledExecutorService timer;
    private volatile Map<String, String> destinations = Map.of();
    private volatile String label = "";
    private volatile boolean quiet;

    DeliveryMonitor(String baseUrl, DestinationStore store, FakesProcess fakes) {
        this.metricsUrl = baseUrl + "/metrics";
        this.store = store;
        this.fakes = fakes;
    }

    /** Starts sampling once a second for the phase {@code label}, counting these destinations (type → id). */
    synchronized void begin(String label, Map<String, String> destinations, boolean quiet) {
        end();
        this.label = label;
        this.destinations = new LinkedHashMap<>(destinations);
        this.quiet = quiet;
        timer = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("bench-monitor-", 0).factory());
        timer.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void end() {
        if (timer == null) return;
        timer.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }

    /** The samples taken since {@code fromNanos} (System.nanoTime()). */
    synchronized List<Sample> since(long fromNanos) {
        return samples.stream().filter(s -> s.nanos() >= fromNanos).toList();
    }

    synchronized Sample latest() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    /** Takes one sample now, outside the schedule (e.g. at a phase's edge). */
    Sample sampleNow() {
        Sample s = take();
        synchronized (this) {
            samples.add(s);
        }
        return s;
    }

    /** Set by a tick while it runs: the watchdog dumps the threads once if a sample takes more than 5 s. */
    private volatile long tickStarted;
    private volatile boolean dumped;
    private Path dumpDir;

    /** Where a thread dump goes if a sample hangs (null: none). */
    void dumpTo(Path dir) {
        this.dumpDir = dir;
    }

    private void watch() {
        long t = tickStarted;
        if (t == 0 || dumped || dumpDir == null || System.nanoTime() - t < 5_000_000_000L) return;
        dumped = true;
        try {
            Files.createDirectories(dumpDir);
            Path file = dumpDir.resolve("delivery-monitor-stall-" + System.currentTimeMillis() + ".json");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            System.err.println("bench: monitor: a sample has taken over 5 s; threads dumped to " + file);
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: monitor: thread dump failed: " + e);
        }
    }

    private void tick() {
        tickStarted = System.nanoTime();
        try {
            Sample s = take();
            Sample prev;
            synchronized (this) {
                prev = samples.isEmpty() ? null : samples.get(samples.size() - 1);
                samples.add(s);
            }
            if (!quiet) print(prev, s);
        } catch (RuntimeException e) {
            System.err.println("bench: monitor: " + e);
        } finally {
            tickStarted = 0;
        }
    }

    private Sample take() {
        long t0 = System.nanoTime();
        Map<String, Double> m = scrape(http, metricsUrl);
        long cursor = store.cursor();
        Map<String, long[]> per = new LinkedHashMap<>();
        destinations.forEach((type, id) -> {
            try {
                DestinationStats st = store.stats(id);
                per.put(type, new long[]{st.count(DeliveryStatus.PENDING) + st.count(DeliveryStatus.RETRYING),
                        st.count(DeliveryStatus.SENT), st.count(DeliveryStatus.DEAD), st.count(DeliveryStatus.SKIPPED)});
            } catch (RuntimeException e) {
                // the destination was just removed
            }
        });
        long t1 = System.nanoTime();
        return new Sample((t1 - start) / 1e9, t1, m, cursor, per, fakes.cpuSeconds(), Machine.load(), (t1 - t0) / 1e6);
    }

    private void print(Sample prev, Sample s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %-9s %6.0fs  sent/s", label, s.t()));
        double dt = prev == null ? 1 : Math.max(0.001, (s.nanos() - prev.nanos()) / 1e9);
        for (String type : s.perDestination().keySet()) {
            long d = prev == null || prev.sent(type) < 0 ? 0 : s.sent(type) - prev.sent(type);
            b.append(String.format(Locale.ROOT, " %s %,.0f", shortName(type), d / dt));
        }
        b.append(" | open");
        for (String type : s.perDestination().keySet()) b.append(String.format(Locale.ROOT, " %,d", s.open(type)));
        double routed = prev == null ? 0 : (s.cursor() - prev.cursor()) / dt;
        b.append(String.format(Locale.ROOT, " | routed/s %,.0f, lag id/attr/dlv %,.0f/%,.0f/%,.0f | fakes cpu %.2f | sample %.0f ms | load %s",
                routed, s.metric("touchpoint_identity_lag_events"), s.metric("touchpoint_attribution_lag_events"),
                s.metric("touchpoint_delivery_lag_events"),
                prev == null ? 0 : (s.fakesCpu() - prev.fakesCpu()) / dt, s.sampleMillis(), s.load()));
        System.err.println(b);
    }

    static String shortName(String type) {
        return switch (type) {
            case "google_ads" -> "google";
            case "webhook" -> "hook";
            default -> type;
        };
    }

    @Override
    public void close() {
        end();
    }

    /** Every sample line of /metrics, keyed by the name with its labels as printed. */
    static Map<String, Double> scrape(HttpClient http, String url) {
        Map<String, Double> out = new HashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return out;
            for (String line : r.body().split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int space = line.lastIndexOf(' ');
                if (space < 0) continue;
                try {
                    out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException ignored) {
                    // not a sample line
                }
            }
        } catch (IOException e) {
            System.err.println("bench: cannot read " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The sum of the samples of {@code name} whose labels contain every one of {@code labels} (e.g. type="meta"). */
    static double sum(Map<String, Double> metrics, String name, String... labels) {
        double total = 0;
        for (var e : metrics.entrySet()) {
            String k = e.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) continue;
            boolean all = true;
            for (String l : labels) all &= k.contains(l);
            if (all) total += e.getValue();
        }
        return total;
    }
}
