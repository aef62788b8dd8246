package io.touchpoint.server.fuzz;

import io.touchpoint.server.support.TestServer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stages' lag as /metrics reports it. */
final class Lag {
    private static final Pattern GAUGE = Pattern.compile("(?m)^(touchpoint_(identity|attribution|delivery)_lag_events)(\\{[^}]*})? (\\S+)$");

    private Lag() {
    }

    /** Waits (up to 60 s) until every stage's lag gauge reads 0; fails naming the ones that do not. */
    static void awaitZero(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String lagging;
        do {
            lagging = lagging(server);
            if (lagging.isEmpty()) return;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("stages still lag after 60 s on " + server.baseUrl() + ": " + lagging);
    }

    private static String lagging(TestServer server) {
        String metrics = server.http.get("/metrics", null).body();
        Matcher m = GAUGE.matcher(metrics);
        StringBuilder out = new StringBuilder();
        int seen = 0;
        while (m.find()) {
            seen++;
            if (Double.parseDouble(m.group(4)) != 0) out.append(m.group(1)).append('=').append(m.group(4)).append(' ');
        }
        if (seen < 3) return "only " + seen + " of the three lag gauges on /metrics";
        return out.toString();
    }
}
