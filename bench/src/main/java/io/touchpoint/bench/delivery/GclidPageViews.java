package io.touchpoint.bench.delivery;

import io.touchpoint.bench.load.Payloads;
import io.touchpoint.bench.load.Sampler;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The delivery benchmark's seed: one page view per visitor through the pixel, with a Google Ads click, so that every
 * later conversion has a gclid for the Google Ads destination to send.
 */
final class GclidPageViews {
    private GclidPageViews() {
    }

    /** One page view per visitor, with a Google Ads click (utm and gclid), through the pixel; then the stages catch up. */
    static Map<String, Object> seed(DeliveryRun run) throws Exception {
        System.err.printf(Locale.ROOT, "bench: seeding %,d page views with a gclid through /collect%n", Payloads.VISITORS);
        long t0 = System.nanoTime();
        Semaphore slots = new Semaphore(64);
        LongAdder ok = new LongAdder(), bad = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        long ms = System.currentTimeMillis();
        for (long v = 0; v < Payloads.VISITORS; v++) {
            String gclid = FakePlatforms.gclid(v);
            // under 100 characters: the GA4 fake refuses longer parameter values, page_location included (see BENCHMARKS.md)
            String url = "https://shop.example.com/l?utm_source=google&utm_medium=cpc&gclid=" + gclid;
            String beacon = "{\"type\":\"page_view\",\"token\":\"" + Payloads.visitorToken(v) + "\",\"fp\":\"" + Payloads.fingerprint(v)
                    + "\",\"url\":\"" + url + "\",\"ref\":\"https://www.google.com/\",\"title\":\"Landing\",\"params\":"
                    + "{\"utm_source\":\"google\",\"utm_medium\":\"cpc\",\"utm_campaign\":\"bench-search\",\"gclid\":\"" + gclid + "\"},"
                    + "\"cookies\":{\"fbp\":\"fb.1." + ms + "." + (1_000_000_000L + v) + "\"},\"screen\":\"1920x1080\","
                    + "\"lang\":\"en-US\",\"tz\":\"UTC\"}";
            HttpRequest r = HttpRequest.newBuilder(URI.create(run.target.baseUrl() + "/collect?key=" + run.pixelKey))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("User-Agent", Payloads.USER_AGENT)
                    .header("Origin", "https://shop.example.com").header("X-Forwarded-For", Payloads.ip(v))
                    .POST(HttpRequest.BodyPublishers.ofString(beacon)).build();
            slots.acquire();
            run.http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, e) -> {
                if (e == null && resp.statusCode() / 100 == 2) {
                    ok.increment();
                } else {
                    bad.increment();
                    firstError.compareAndSet(null, e != null ? e.toString() : resp.statusCode() + " " + resp.body());
                }
                slots.release();
            });
        }
        slots.acquire(64);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "bench: seeded %,d page views in %.1f s (%,d refused%s)%n", ok.sum(), seconds, bad.sum(),
                firstError.get() == null ? "" : "; first: " + firstError.get());
        if (bad.sum() > 0) throw new IllegalStateException("seeding failed: " + firstError.get());
        double settled = run.awaitSettled();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("page_views", ok.sum());
        m.put("seconds", Sampler.round(seconds));
        m.put("stages_caught_up_after_seconds", Sampler.round(settled));
        return m;
    }
}
