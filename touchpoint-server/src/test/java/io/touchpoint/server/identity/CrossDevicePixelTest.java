package io.touchpoint.server.identity;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-device identity through the pixel's own path: a laptop (visitor token A) views a page and
 * submits a form with an email, a phone (token B) views a page and submits the same email, both as the pixel
 * sends them to /collect; then a server-side purchase arrives with only that email. One profile holds both tokens,
 * and its journey lists both devices' page views in the order they happened.
 */
class CrossDevicePixelTest extends ServerTest {
    private static final String LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/17.5 Mobile/15E148 Safari/604.1";

    private String collect(Ws ws, String userAgent, Map<String, Object> beacon) {
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(beacon), new HashMap<>(Map.of("User-Agent", userAgent)));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("event_id");
    }

    private static Map<String, Object> pageView(String token, String fingerprint, String url) {
        return Map.of("type", "page_view", "token", token, "fp", fingerprint, "url", url, "title", "Shop");
    }

    private static Map<String, Object> form(String token, String fingerprint, String url, String email) {
        return Map.of("type", "identify", "token", token, "fp", fingerprint, "url", url, "person", Map.of("email", email));
    }

    @Test
    void laptopAndPhoneFormsWithOneEmailAndAnEmailOnlyPurchaseAreOnePersonWithBothDevicesInTheJourney() throws Exception {
        Ws ws = newWorkspace();
        String laptopView = collect(ws, LAPTOP, pageView("tpv.laptopAAAA", "fp-laptop", "https://shop.example.com/"));
        String laptopForm = collect(ws, LAPTOP, form("tpv.laptopAAAA", "fp-laptop", "https://shop.example.com/signup", "Jane@Example.com"));
        Thread.sleep(5); // the pixel's events take the server's clock: keep the devices' visits apart in time
        String phoneView = collect(ws, PHONE, pageView("tpv.phoneBBBBB", "fp-phone", "https://shop.example.com/m/sale"));
        String phoneForm = collect(ws, PHONE, form("tpv.phoneBBBBB", "fp-phone", "https://shop.example.com/m/signup", "jane@example.com"));
        Thread.sleep(5);
        Response purchase = http.postJson("/public-api/v1/events", ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"jane@example.com\",\"amount\":120.0}");
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(202);
        String purchaseId = (String) purchase.json().get("id");
        awaitProcessed();

        Response found = http.get("/api/v1/profiles?identifier=" + URLEncoder.encode("email:jane@example.com", StandardCharsets.UTF_8), ws.token());
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(list(found.json().get("identifiers"))).extracting(i -> i.get("type") + ":" + i.get("value"))
                .contains("visitor_token:tpv.laptopAAAA", "visitor_token:tpv.phoneBBBBB", "email:jane@example.com");
        String id = (String) found.json().get("id");
        for (String token : new String[]{"tpv.laptopAAAA", "tpv.phoneBBBBB"}) {
            Response byToken = http.get("/api/v1/profiles?identifier=" + URLEncoder.encode("visitor_token:" + token, StandardCharsets.UTF_8), ws.token());
            assertThat(byToken.json()).as(token).containsEntry("id", id);
        }

        Response journey = http.get("/api/v1/profiles/" + id + "/journey", ws.token());
        assertThat(journey.status()).as(journey.body()).isEqualTo(200);
        assertThat(list(journey.json().get("data"))).extracting(e -> e.get("event_id"))
                .containsExactly(laptopView, laptopForm, phoneView, phoneForm, purchaseId);
        assertThat(list(journey.json().get("data"))).filteredOn(e -> "page_view".equals(e.get("name")))
                .extracting(e -> e.get("page_url"))
                .containsExactly("https://shop.example.com/", "https://shop.example.com/m/sale");
    }

}
