package io.touchpoint.bench.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.destinations.fakes.FakeGa4;
import io.touchpoint.server.destinations.fakes.FakeGoogleAds;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.destinations.fakes.FakePlatform;
import io.touchpoint.server.destinations.fakes.FakeTikTok;
import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The five platform fakes of the server's tests (touchpoint-server's test-jar: {@link FakeMeta}, {@link FakeGoogleAds},
 * {@link FakeTikTok}, {@link FakeGa4}, {@link FakeWebhookReceiver}) on loopback, in a process of their own so that their
 * CPU, heap and threads are not counted as the server's. {@link DeliveryBench} starts it and drives it over standard
 * input, one command a line, each answered by one JSON line on standard output:
 * <ul>
 *   <li>(at start, unasked) {@code {"meta": "http://127.0.0.1:PORT", ...}}: each fake's base URL;</li>
 *   <li>{@code down} / {@code up}: every fake closes its listening socket (connections refused) / reopens it on the
 *   same port;</li>
 *   <li>{@code stats}: per fake, since start: requests received, events accepted (counted once per platform dedup key),
 *   contract violations and the first few distinct ones.</li>
 * </ul>
 * A fake records every request and every accepted event in memory; to keep that bounded over a long run, this process
 * adds their counts to its totals and resets the fakes once a second while they are up. It exits when its standard
 * input closes (the benchmark ended or died).
 */
public final class FakePlatforms {
    // the credentials the destinations are connected with (DeliveryBench uses the same constants)
    static final String META_PIXEL = "555000111222333";
    static final String META_TOKEN = "EAAB-bench-meta-token";
    static final String GOOGLE_CLIENT_ID = "bench-client.apps.googleusercontent.com";
    static final String GOOGLE_CLIENT_SECRET = "bench-client-secret";
    static final String GOOGLE_REFRESH_TOKEN = "1//bench-refresh-token";
    static final String GOOGLE_DEVELOPER_TOKEN = "bench-developer-token";
    static final String GOOGLE_CUSTOMER = "1234567890";
    static final long GOOGLE_ACTION = 987654321L;
    static final String TIKTOK_TOKEN = "bench-tiktok-token";
    static final String TIKTOK_PIXEL = "CBENCHPIXEL0123456789";
    static final String GA4_MEASUREMENT = "G-BENCH12345";
    static final String GA4_SECRET = "bench-ga4-api-secret";
    static final String WEBHOOK_SECRET = "whsec_bench_0123456789abcdef";
    static final String WEBHOOK_PATH = "/hooks/touchpoint";
    static final List<String> NAMES = List.of("meta", "google_ads", "tiktok", "ga4", "webhook");
    private static final int SAMPLE_VIOLATIONS = 5;

    /** The gclid of a visitor (DeliveryBench's page views carry it; the Google fake knows its click). */
    static String gclid(long visitor) {
        return String.format(Locale.ROOT, "Cj0KCQiAbench%08dgclid", visitor);
    }

    private final Map<String, FakePlatform> fakes = new LinkedHashMap<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>(); // requests, accepted, violations
    private final Map<String, Set<String>> samples = new LinkedHashMap<>();
    private boolean down;

    private FakePlatforms(int visitors) {
        FakeGoogleAds google = new FakeGoogleAds(GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_REFRESH_TOKEN,
                GOOGLE_DEVELOPER_TOKEN, GOOGLE_CUSTOMER).conversionAction(GOOGLE_ACTION);
        Instant clicked = Instant.now().minus(Duration.ofHours(1));
        for (long v = 0; v < visitors; v++) google.knownClick(gclid(v), clicked);
        fakes.put("meta", new FakeMeta(META_PIXEL, META_TOKEN));
        fakes.put("google_ads", google);
        fakes.put("tiktok", new FakeTikTok(TIKTOK_TOKEN, TIKTOK_PIXEL));
        fakes.put("ga4", new FakeGa4(GA4_MEASUREMENT, GA4_SECRET));
        fakes.put("webhook", new FakeWebhookReceiver(WEBHOOK_SECRET));
        for (String name : fakes.keySet()) {
            totals.put(name, new long[3]);
            samples.put(name, new LinkedHashSet<>());
        }
    }

    public static void main(String[] args) throws Exception {
        int visitors = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        FakePlatforms p = new FakePlatforms(visitors);
        ScheduledExecutorService folder = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("fakes-fold").factory());
        folder.scheduleAtFixedRate(p::fold, 1, 1, TimeUnit.SECONDS);
        Map<String, Object> urls = new LinkedHashMap<>();
        p.fakes.forEach((name, f) -> urls.put(name, f.baseUrl()));
        out.println(json.writeValueAsString(urls));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            Object answer = switch (line.strip()) {
                case "down" -> p.setDown(true);
                case "up" -> p.setDown(false);
                case "stats" -> p.stats();
                case "quit" -> null;
                default -> Map.of("error", "unknown command '" + line.strip() + "'");
            };
            if (answer == null) break;
            out.println(json.writeValueAsString(answer));
        }
        folder.shutdownNow();
        p.fakes.values().forEach(FakePlatform::close);
        System.exit(0);
    }

    private synchronized Map<String, Object> setDown(boolean down) {
        fold();
        this.down = down;
        for (FakePlatform f : fakes.values()) {
            if (down) f.down(true);
            else f.up();
        }
        return Map.of("down", down);
    }

    private synchronized Map<String, Object> stats() {
        fold();
        Map<String, Object> out = new LinkedHashMap<>();
        totals.forEach((name, t) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", t[0]);
            m.put("accepted", t[1]);
            m.put("violations", t[2]);
            m.put("violation_samples", new ArrayList<>(samples.get(name)));
            out.put(name, m);
        });
        return out;
    }

    /**
     * Adds what each fake recorded to the totals and resets it. Not while the fakes are down: a reset reopens a closed
     * socket, and nothing arrives meanwhile (they were folded just before going down; what was still in flight then
     * is counted at the first fold after they are up).
     */
    private synchronized void fold() {
        if (down) return;
        fakes.forEach((name, f) -> {
            // the fake's own lock: no request is recorded between reading its counts and the reset
            synchronized (f) {
                long[] t = totals.get(name);
                t[0] += f.requests().size();
                t[1] += f.acceptedKeys().size();
                List<String> v = f.violations();
                t[2] += v.size();
                Set<String> s = samples.get(name);
                for (String text : v) {
                    if (s.size() >= SAMPLE_VIOLATIONS) break;
                    s.add(text.length() > 300 ? text.substring(0, 300) + "…" : text);
                }
                f.reset();
            }
        });
    }
}
