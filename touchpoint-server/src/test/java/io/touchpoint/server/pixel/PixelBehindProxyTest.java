package io.touchpoint.server.pixel;

import io.touchpoint.core.model.Event;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Behind a trusted proxy, /collect stores and rate-limits the visitor's address from X-Forwarded-For. */
class PixelBehindProxyTest extends ServerTest {
    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32");
    }

    private HttpTestClient.Response collect(String key, String forwardedFor) {
        return http.post("/collect?key=" + key, null, "text/plain", PixelCollectTest.pageView("tpv.proxy123",
                "https://shop.example.com/"), Map.of("User-Agent", PixelCollectTest.CHROME, "X-Forwarded-For", forwardedFor));
    }

    @Test
    void storesAndLimitsTheVisitorsAddress() {
        Ws ws = newWorkspace();
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        HttpTestClient.Response r = collect(key, "198.51.100.23, 127.0.0.1");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
        assertThat(e.context().ip()).isEqualTo("198.51.100.23");

        for (int i = 1; i < PixelRoutes.PER_IP_LIMIT_PER_MINUTE; i++) {
            HttpTestClient.Response ok = collect(key, "198.51.100.24");
            if (ok.status() == 429) break; // the minute turned over midway: the limit was still applied per address
            assertThat(ok.status()).isEqualTo(202);
        }
        HttpTestClient.Response limited = collect(key, "198.51.100.24");
        HttpTestClient.Response other = collect(key, "198.51.100.25");
        assertThat(other.status()).as("another visitor").isEqualTo(202);
        if (limited.status() != 202) { // not across a minute boundary
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.error()).containsEntry("code", "rate_limited");
        }
    }
}
