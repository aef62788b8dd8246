package io.touchpoint.server.traffic;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real pixel page views for the traffic tests, and the traffic report once the traffic stage has counted them. */
public final class TrafficPageViews {
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private final TestServer server;
    private final HttpTestClient http;

    public TrafficPageViews(TestServer server, HttpTestClient http) {
        this.server = server;
        this.http = http;
    }

    /**
     * Three visitors: ann lands on / from a newsletter and reads /pricing in the same visit, bob lands on /pricing from
     * Google, cy on / directly (4 page views, 3 visits, 2 bounces).
     */
    public void threeVisitors(ServerTest.Ws ws) {
        pageView(ws, "tpv.ann", "https://shop.example.com/?utm_source=newsletter&utm_medium=email", null);
        pageView(ws, "tpv.ann", "https://shop.example.com/pricing", null);
        pageView(ws, "tpv.bob", "https://shop.example.com/pricing?plan=pro", "https://www.google.com/");
        pageView(ws, "tpv.cy", "https://shop.example.com/", null);
    }

    /** One beacon to {@code /collect}, as the pixel sends it. */
    public void pageView(ServerTest.Ws ws, String token, String url, String ref) {
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        Map<String, Object> beacon = new HashMap<>(Map.of("type", "page_view", "token", token, "url", url, "title", "Shop"));
        if (ref != null) beacon.put("ref", ref);
        Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", ServerTest.json(beacon),
                new HashMap<>(Map.of("User-Agent", UA)));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    /** The report's {@code data} for {@code query} once the traffic stage has read every committed event. */
    public Map<String, Object> counted(ServerTest.Ws ws, String query) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Response r = http.get("/api/v1/reports/traffic?" + query, ws.token());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            if (((Number) ServerTest.map(r.json().get("processing")).get("lag_events")).longValue() == 0) {
                return ServerTest.map(r.json().get("data"));
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the traffic stage did not catch up: " + r.body());
            Thread.sleep(50);
        }
    }
}
