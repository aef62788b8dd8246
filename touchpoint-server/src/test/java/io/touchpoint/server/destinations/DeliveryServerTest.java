package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A real server with helpers to connect destinations, send browser visits and conversions, and wait for deliveries. */
abstract class DeliveryServerTest extends ServerTest {
    static final String LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    /** Adds a destination through the admin API; answers its JSON. */
    protected Map<String, Object> addDestination(Ws ws, String type, Map<String, Object> settings, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("name", type + " " + System.nanoTime());
        body.put("settings", settings);
        body.putAll(more);
        Response r = http.postJson("/admin/v1/workspaces/" + ws.id() + "/destinations", TestServer.ADMIN_TOKEN, json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** Adds a webhook to the fake receiver, signed with {@code secret}; answers its id. */
    protected String addWebhook(Ws ws, FakeWebhookReceiver hook, String secret) {
        return (String) addDestination(ws, "webhook", Map.of("url", hook.baseUrl() + "/hooks/touchpoint",
                "secret", secret), Map.of()).get("id");
    }

    /** A pixel beacon to /collect from a browser with this user agent; answers the event id. */
    protected String collect(Ws ws, String userAgent, Map<String, Object> beacon) {
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(beacon),
                new HashMap<>(Map.of("User-Agent", userAgent)));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("event_id");
    }

    /** Waits until the event's delivery to the destination matches, up to {@code timeout}; answers it. */
    protected Delivery awaitDelivery(Ws ws, String eventId, String destinationId, Predicate<Delivery> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Delivery last = null;
        while (System.nanoTime() < deadline) {
            List<Delivery> list = server.store().destinations().deliveries(ws.id(), List.of(eventId)).getOrDefault(eventId, List.of());
            last = list.stream().filter(d -> d.destinationId().equals(destinationId)).findFirst().orElse(null);
            if (last != null && done.test(last)) return last;
            Thread.sleep(25);
        }
        throw new AssertionError("delivery of " + eventId + " to " + destinationId + " did not get there in " + timeout + "; last: " + last);
    }

    protected Delivery awaitStatus(Ws ws, String eventId, String destinationId, String status) throws InterruptedException {
        return awaitDelivery(ws, eventId, destinationId, d -> d.status().wireName().equals(status), Duration.ofSeconds(20));
    }
}
