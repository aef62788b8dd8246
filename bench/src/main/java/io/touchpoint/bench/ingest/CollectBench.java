package io.touchpoint.bench.ingest;

import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.config.Stores;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pixel page views through {@code POST /collect} beside single events through the Cometly API route, on the same
 * in-process server (temporary SQLite folder, synchronous=FULL, loopback): closed loop, N client threads, each
 * request timed from send to answer into an HdrHistogram. Both routes end in the same ingest writer, so the
 * difference is the edge (public checks, beacon mapping, touchpoint) rather than storage. Page views carry UTM
 * fields and a click id, so each one is given its touchpoint. The server trusts 127.0.0.1 as a proxy and every
 * beacon names one of 100,000 visitor addresses in {@code X-Forwarded-For}, as behind a load balancer, so the
 * per-address limit does not bind, and the site's host in {@code X-Forwarded-Host}, as a first-party route sends it, so
 * every answer sets the visitor cookie for example.com. Not a test: it asserts nothing, but non-2xx answers are counted
 * and reported.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/cp.txt) io.touchpoint.bench.ingest.CollectBench [--threads 16] [--seconds 10]
 * </pre>
 */
public final class CollectBench {
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int threads = Integer.parseInt(opts.getOrDefault("threads", "16"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        Path dir = Files.createTempDirectory("tp-collectbench");
        ServerConfig config = new ConfigLoader(null, Map.of(), Map.of("port", "0", "data", dir.toString(),
                "proxies.trusted", "127.0.0.1/32")).load();
        Store store = Stores.open(config);
        try (TouchpointServer server = TouchpointServer.start(config, store,
                new AdminCredential(store.settings(), "tpa_bench_admin_token_not_secret"), Clock.systemUTC())) {
            CreatedWorkspace ws = new Workspaces(store, Clock.systemUTC()).create("bench", WorkspaceSettings.DEFAULTS);
            String base = server.baseUrl();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            System.out.printf("pixel /collect beside the API route: %d client threads, %d s each after %d s warm-up,"
                    + " SQLite synchronous=FULL in %s, %d CPUs%n", threads, seconds, warmup, dir,
                    Runtime.getRuntime().availableProcessors());
            Scenario api = (n, t) -> HttpRequest.newBuilder(URI.create(base + "/public-api/v1/events"))
                    .header("Authorization", "Bearer " + ws.token().secret()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_name\":\"lead_generated\",\"email\":\"v" + t + "-" + n
                            + "@example.com\",\"comet_token\":\"tpv.bench" + t + "x" + n + "\",\"ip\":\"203.0.113.9\"}")).build();
            Scenario collect = (n, t) -> HttpRequest.newBuilder(URI.create(base + "/collect?key=" + ws.workspace().pixelKey()))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("User-Agent", UA)
                    .header("Origin", "https://shop.example.com")
                    .header("X-Forwarded-For", "10." + (t % 2) + "." + (n / 250 % 250) + "." + (n % 250))
                    .header("X-Forwarded-Host", "shop.example.com").header("X-Forwarded-Proto", "https")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"page_view\",\"token\":\"tpv.bench" + t + "x" + n
                            + "\",\"ts\":\"s\",\"fp\":\"0f3c9a\",\"url\":\"https://shop.example.com/?utm_source=facebook&utm_medium=paid"
                            + "&utm_campaign=spring&fbclid=abc" + n + "\",\"ref\":\"\",\"title\":\"Spring sale\",\"params\":"
                            + "{\"utm_source\":\"facebook\",\"utm_medium\":\"paid\",\"utm_campaign\":\"spring\",\"fbclid\":\"abc"
                            + n + "\"},\"cookies\":{\"fbp\":\"fb.1.1700000000000.42\"},\"screen\":\"1920x1080\","
                            + "\"lang\":\"en-GB\",\"tz\":\"Europe/London\"}")).build();
            run("warm-up", client, api, threads, warmup, false);
            run("warm-up", client, collect, threads, warmup, false);
            run("POST /public-api/v1/events", client, api, threads, seconds, true);
            run("POST /collect (page view)", client, collect, threads, seconds, true);
            System.out.printf("stored events: %,d%n", store.events().count(ws.workspace().id()));
        }
    }

    interface Scenario {
        HttpRequest request(long n, int thread);
    }

    private static void run(String name, HttpClient client, Scenario s, int threads, int seconds, boolean report)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Histogram> histograms = new ArrayList<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Histogram h = new Histogram(60_000_000_000L, 3);
            histograms.add(h);
            int thread = t;
            workers.add(Thread.ofPlatform().name("bench-" + t).start(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    HttpRequest r = s.request(n++ * threads + thread, thread);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> resp = client.send(r, HttpResponse.BodyHandlers.discarding());
                        h.recordValue(System.nanoTime() - t0);
                        if (resp.statusCode() / 100 == 2) ok.incrementAndGet();
                        else failed.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread w : workers) w.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!report) return;
        Histogram all = new Histogram(60_000_000_000L, 3);
        histograms.forEach(all::add);
        System.out.printf("%-30s %,9.0f events/s   p50 %6.2f ms   p99 %6.2f ms   p99.9 %6.2f ms   max %7.2f ms   (%,d ok, %,d not 2xx)%n",
                name, ok.get() / elapsed, all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
                all.getValueAtPercentile(99.9) / 1e6, all.getMaxValue() / 1e6, ok.get(), failed.get());
    }
}
