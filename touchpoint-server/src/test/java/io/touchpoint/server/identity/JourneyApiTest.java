package io.touchpoint.server.identity;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a journey timeline needs from {@code GET /api/v1/profiles/{id}/journey}: devices, touchpoints, receipts. */
class JourneyApiTest extends ServerTest {
    private static final String T = "2026-03-01T10:00:";

    @Test
    void journeyItemsCarryTheirDeviceTheirTouchpointAndAConversionsReceipt() throws Exception {
        Ws ws = newWorkspace();
        Response onlyPurchases = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/attribution")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"conversion_events\":[\"purchase\"]}")).build());
        assertThat(onlyPurchases.status()).as(onlyPurchases.body()).isEqualTo(200);
        String ad = sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tokL\",\"user_agent\":\"Laptop/1.0\","
                + "\"ip\":\"198.51.100.7\",\"url\":\"https://shop.io/?utm_source=google&utm_medium=cpc&gclid=G1\","
                + "\"event_time\":\"" + T + "00Z\"}");
        String plain = sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tokL\",\"url\":\"https://shop.io/p\","
                + "\"email\":\"sam@shop.io\",\"event_time\":\"" + T + "01Z\"}");
        String phone = sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"tokP\",\"user_agent\":\"Phone/2.0\","
                + "\"email\":\"sam@shop.io\",\"event_time\":\"" + T + "02Z\"}");
        String purchase = sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"sam@shop.io\",\"amount\":20,"
                + "\"event_time\":\"" + T + "03Z\"}");
        awaitProcessed();

        String id = (String) profileByIdentifier(ws, "email:sam@shop.io").get("id");
        List<Map<String, Object>> items = list(http.get("/api/v1/profiles/" + id + "/journey", ws.token()).json().get("data"));
        assertThat(items).extracting(e -> e.get("event_id")).containsExactly(ad, plain, phone, purchase);
        assertThat(items).extracting(e -> map(e.get("device")).get("key"))
                .containsExactly("visitor_token:tokL", "visitor_token:tokL", "visitor_token:tokP", null);
        assertThat(map(items.get(0).get("device"))).containsEntry("user_agent", "Laptop/1.0").containsEntry("ip", "198.51.100.7");
        assertThat(map(items.get(2).get("device"))).containsEntry("user_agent", "Phone/2.0");

        assertThat(map(items.get(0).get("touchpoint"))).containsEntry("channel", "Paid Search").containsEntry("platform", "google")
                .containsEntry("source", "google").containsEntry("medium", "cpc").containsEntry("click_id_type", "gclid")
                .containsEntry("click_id", "G1").containsEntry("signal", true);
        assertThat(items.get(1).get("touchpoint")).as("a server event without a campaign signal is no touchpoint").isNull();
        assertThat(items.get(3).get("touchpoint")).isNull();

        assertThat(items.subList(0, 3)).allSatisfy(e -> assertThat(e.get("attribution")).isNull());
        assertThat(map(items.get(3).get("attribution"))).containsEntry("receipt_url", "/api/v1/conversions/" + purchase + "/attribution");
        assertThat(http.get("/api/v1/conversions/" + purchase + "/attribution", ws.token()).status()).isEqualTo(200);
    }
}
