package io.touchpoint.bench.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.bench.load.LoadRunner;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Target;
import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.destinations.DeliveryStatus;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the delivery benchmark's phases share: the server, the platform fakes, the admin API, the monitor, the one
 * workspace, and the current set of five destinations. A phase connects its own destinations and retires them when it
 * ends, so the fakes' counts can be checked against that phase's outbox alone.
 */
final class DeliveryRun {
    private static final long SETTLED_APART_MILLIS = 2500;
    /** For the load runs whose window is not sampled. */
    static final LoadRunner.WindowHooks NO_HOOKS = new LoadRunner.WindowHooks() {
        @Override
        public void measureStarts() {
        }

        @Override
        public void measureEnds() {
        }
    };

    final Target.Embedded target;
    final FakesProcess fakes;
    final DeliveryAdmin admin;
    final DeliveryMonitor monitor;
    final Sampler sampler;
    final String workspaceId;
    final String token;
    final String pixelKey;
    /** Part of every external id this run ingests, so that no two runs share one. */
    final String runId;
    /** System.nanoTime() by which every wait ends (--time-limit-minutes). */
    final long deadline;
    final boolean quiet;
    /** What each retired set of destinations found against the fakes, in order. */
    final List<Map<String, Object>> checks = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int settleLimitSeconds;

    /** The current destinations, type → id; null when none is connected. */
    Map<String, String> destinations;
    boolean enabled;
    private JsonNode fakesMark;

    DeliveryRun(Target.Embedded target, FakesProcess fakes, DeliveryAdmin admin, DeliveryMonitor monitor, Sampler sampler,
                CreatedWorkspace workspace, String runId, long deadline, int settleLimitSeconds, boolean quiet) {
        this.target = target;
        this.fakes = fakes;
        this.admin = admin;
        this.monitor = monitor;
        this.sampler = sampler;
        this.workspaceId = workspace.workspace().id();
        this.token = workspace.token().secret();
        this.pixelKey = workspace.workspace().pixelKey();
        this.runId = runId;
        this.deadline = deadline;
        this.settleLimitSeconds = settleLimitSeconds;
        this.quiet = quiet;
    }

    /** Five new enabled destinations; the fakes' counts from here are theirs. */
    void connect() throws InterruptedException {
        fakesMark = fakes.stats();
        destinations = admin.connectAll(workspaceId, fakes, true);
        enabled = true;
        Thread.sleep(1500); // the senders' supervisor starts their workers within a second
    }

    /** Checks the current destinations against what the fakes accepted, then removes them (their outbox with them). */
    void retire(String label) throws InterruptedException {
        checks.add(check(label, fakesMark, destinations));
        admin.deleteAll(destinations);
        destinations = null;
        enabled = false;
    }

    /**
     * Waits until the identity, attribution and delivery stages have caught up; answers the seconds waited, or -1 if
     * they had not by --settle-limit. Every lag must read 0 on two scrapes {@value #SETTLED_APART_MILLIS} ms apart,
     * since a lag on /metrics may be up to a second old and a stage's lag reads 0 until the one before it has moved.
     */
    double awaitSettled() throws InterruptedException {
        long start = System.nanoTime();
        long limit = Math.min(deadline, start + Duration.ofSeconds(settleLimitSeconds).toNanos());
        long zeroSince = -1;
        while (System.nanoTime() < limit) {
            Map<String, Double> m = metrics();
            double i = m.getOrDefault("touchpoint_identity_lag_events", -1.0), a = m.getOrDefault("touchpoint_attribution_lag_events", -1.0),
                    d = m.getOrDefault("touchpoint_delivery_lag_events", -1.0);
            long now = System.nanoTime();
            if (i == 0 && a == 0 && d == 0) {
                if (zeroSince < 0) zeroSince = now;
                else if (now - zeroSince >= SETTLED_APART_MILLIS * 1_000_000L) return (zeroSince - start) / 1e9;
            } else {
                zeroSince = -1;
            }
            Thread.sleep(200);
        }
        System.err.printf(Locale.ROOT, "bench: the stages had not caught up after %.0f s; going on%n", (System.nanoTime() - start) / 1e9);
        return -1;
    }

    void awaitOutboxEmpty(Duration limit) throws InterruptedException {
        long end = Math.min(deadline, System.nanoTime() + limit.toNanos());
        while (System.nanoTime() < end) {
            if (metrics().getOrDefault("touchpoint_delivery_outbox_open", 0.0) == 0) return;
            Thread.sleep(500);
        }
    }

    Map<String, Double> metrics() {
        return DeliveryMonitor.scrape(http, target.baseUrl() + "/metrics");
    }

    /** Per destination of the current set: its open entries (pending or retrying). */
    Map<String, Long> openByDestination() {
        Map<String, Long> out = new LinkedHashMap<>();
        destinations.forEach((type, id) -> {
            var st = target.store().destinations().stats(id);
            out.put(type, st.count(DeliveryStatus.PENDING) + st.count(DeliveryStatus.RETRYING));
        });
        return out;
    }

    /**
     * What each fake accepted during a phase, beside what the outbox says was sent to it, and the contract violations
     * it saw (a violation means the fake refused or would have dropped something the server sent).
     */
    private Map<String, Object> check(String phase, JsonNode before, Map<String, String> ids) {
        JsonNode after = fakes.stats();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("phase", phase);
        long violations = 0;
        Map<String, Object> per = new LinkedHashMap<>();
        for (String type : FakePlatforms.NAMES) {
            var st = target.store().destinations().stats(ids.get(type));
            Map<String, Object> m = new LinkedHashMap<>();
            long accepted = after.get(type).get("accepted").asLong() - before.get(type).get("accepted").asLong();
            long v = after.get(type).get("violations").asLong() - before.get(type).get("violations").asLong();
            m.put("outbox_sent", st.count(DeliveryStatus.SENT));
            m.put("outbox_dead", st.count(DeliveryStatus.DEAD));
            m.put("outbox_open", st.count(DeliveryStatus.PENDING) + st.count(DeliveryStatus.RETRYING));
            m.put("outbox_skipped", st.count(DeliveryStatus.SKIPPED));
            m.put("fake_requests", after.get(type).get("requests").asLong() - before.get(type).get("requests").asLong());
            m.put("fake_accepted", accepted);
            m.put("fake_violations", v);
            if (v > 0) m.put("violation_samples", after.get(type).get("violation_samples"));
            violations += v;
            per.put(type, m);
        }
        c.put("destinations", per);
        c.put("violations", violations);
        System.err.println("bench: check after " + phase + ": " + per);
        return c;
    }

    /** The load generator's threads are named bench-*; in this program the JDK client threads are the server's senders. */
    @SuppressWarnings("unchecked")
    static void relabelSides(Map<String, Object> usage) {
        Object groups = usage.get("jvm_threads_cores_by_group");
        Object sides = usage.get("this_jvm_cores_by_side");
        if (!(groups instanceof Map<?, ?> g) || !(sides instanceof Map<?, ?> s)) return;
        double gen = 0, server = 0;
        for (var e : ((Map<String, Double>) g).entrySet()) {
            if (e.getKey().startsWith("bench-") || e.getKey().equals("main")) gen += e.getValue();
            else server += e.getValue();
        }
        Map<String, Object> side = new LinkedHashMap<>((Map<String, Object>) s);
        side.put("server", Sampler.round(server));
        side.put("load_generator", Sampler.round(gen));
        usage.put("this_jvm_cores_by_side", side);
        usage.put("note", "jvm_threads_cores_by_group lists the 15 busiest groups; virtual threads (HTTP handlers, senders, "
                + "GA4/webhook requests) run on the ForkJoinPool carriers; HttpClient-* threads are the server's platform client");
    }
}
