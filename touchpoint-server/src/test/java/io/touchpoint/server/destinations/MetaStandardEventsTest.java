package io.touchpoint.server.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.destinations.fakes.FakeGa4;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.destinations.fakes.FakeTikTok;
import io.touchpoint.server.support.HttpTestClient.Response;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Able's event types are every Meta standard event: those without a Cometly name ({@code Search},
 * {@code AddToWishlist}, {@code CustomizeProduct}, {@code Donate}, {@code FindLocation}) are stored under canonical
 * names of their own, which reports group by and destinations carry through: to Meta under the very name Able sent,
 * to TikTok under its standard event of that name where it has one, to GA4 under its recommended event or the
 * canonical name.
 */
class MetaStandardEventsTest extends DeliveryServerTest {
    private static final String PIXEL = "123456789012345";
    private static final String META_TOKEN = "EAAB-meta-access-token-5e4rch";
    /** Able type → canonical name, TikTok's name, GA4's name. */
    private static final Map<String, List<String>> EXPECTED = expected();

    private static Map<String, List<String>> expected() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Search", List.of("search", "Search", "search"));
        m.put("AddToWishlist", List.of("add_to_wishlist", "AddToWishlist", "add_to_wishlist"));
        m.put("CustomizeProduct", List.of("customize_product", "CustomizeProduct", "customize_product"));
        m.put("Donate", List.of("donate", "donate", "donate"));
        m.put("FindLocation", List.of("find_location", "FindLocation", "find_location"));
        return m;
    }

    @Test
    void metaOnlyEventTypesAreReportedAndDeliveredUnderTheirOwnNames() throws Exception {
        try (FakeMeta meta = new FakeMeta(PIXEL, META_TOKEN); FakeTikTok tiktok = new FakeTikTok("tt-token-std", "C4STDPIXEL01");
             FakeGa4 ga = new FakeGa4("G-STD12345", "ga-secret-std")) {
            Ws ws = newWorkspace();
            String toMeta = (String) addDestination(ws, "meta", Map.of("pixel_id", PIXEL, "access_token", META_TOKEN),
                    Map.of("base_url", meta.baseUrl())).get("id");
            String toTikTok = (String) addDestination(ws, "tiktok", Map.of("pixel_code", "C4STDPIXEL01",
                    "access_token", "tt-token-std"), Map.of("base_url", tiktok.baseUrl())).get("id");
            String toGa = (String) addDestination(ws, "ga4", Map.of("measurement_id", "G-STD12345",
                    "api_secret", "ga-secret-std"), Map.of("base_url", ga.baseUrl())).get("id");
            Funnel f = server.workspaces().createFunnel(ws.id(), "site");

            // a visit from a Meta ad, then each Meta-only event of the same visitor, the donation with a value
            able(f, "PageView", "\"event_source\":\"https://shop.example.com/?utm_source=facebook&utm_medium=paid_social"
                    + "&utm_campaign=spring\",\"utm_source\":\"facebook\",\"utm_medium\":\"paid_social\","
                    + "\"utm_campaign\":\"spring\",\"keys\":{\"client_id\":\"std-1\"}");
            Map<String, String> ids = new LinkedHashMap<>();
            for (String type : EXPECTED.keySet()) {
                String value = type.equals("Donate") ? "\"deal_value\":25,\"deal_currency\":\"USD\"," : "";
                // sent in lower case: event types are read without regard to case
                ids.put(type, able(f, type.toLowerCase(java.util.Locale.ROOT), value
                        + "\"event_source\":\"https://shop.example.com/" + type + "\","
                        + "\"client\":{\"ip\":\"203.0.113.9\",\"ua\":\"" + LAPTOP + "\"},"
                        + "\"keys\":{\"client_id\":\"std-1\",\"email\":\"donor@example.com\"}"));
            }
            awaitProcessed();

            for (var e : EXPECTED.entrySet()) {
                String id = ids.get(e.getKey());
                assertThat(server.store().events().find(ws.id(), id).orElseThrow().name()).isEqualTo(e.getValue().get(0));
                awaitStatus(ws, id, toMeta, "sent");
                awaitStatus(ws, id, toTikTok, "sent");
                awaitStatus(ws, id, toGa, "sent");
                assertThat(meta.acceptedCount(FakeMeta.dedupKey(e.getKey(), id))).as("Meta gets %s", e.getKey()).isEqualTo(1);
                assertThat(tiktok.acceptedEvents()).as("TikTok gets %s", e.getKey())
                        .anyMatch(a -> a.payload().path("event_id").asText().equals(id)
                                && a.payload().path("event").asText().equals(e.getValue().get(1)));
                assertThat(gaNames(ga)).as("GA4 gets %s", e.getKey()).contains(e.getValue().get(2));
            }
            assertThat(meta.violations()).isEmpty();
            assertThat(tiktok.violations()).isEmpty();
            assertThat(ga.violations()).isEmpty();

            // the reports know them by their canonical names, credited to the Meta ad that brought the visitor
            Map<String, Object> donations = report(ws, "donate");
            assertThat(map(donations.get("totals"))).containsEntry("conversions", 1).containsEntry("revenue", 25.0);
            assertThat(firstTouch(donations, "meta", "revenue")).isEqualTo(25.0);
            Map<String, Object> searches = report(ws, "search,find_location");
            assertThat(map(searches.get("totals"))).containsEntry("conversions", 2);
            assertThat(firstTouch(searches, "meta", "conversions")).isEqualTo(2.0);
        }
    }

    private String able(Funnel f, String type, String resource) {
        Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\""
                + type + "\",\"resource\":{" + resource + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("id");
    }

    private Map<String, Object> report(Ws ws, String events) {
        Response r = http.get("/api/v1/reports/attribution?event_name=" + events + "&group_by=platform&model=first_touch",
                ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }

    private static double firstTouch(Map<String, Object> report, String group, String figure) {
        return list(report.get("rows")).stream().filter(r -> group.equals(r.get("group"))).findFirst()
                .map(r -> ((Number) map(map(r.get("models")).get("first_touch")).get(figure)).doubleValue()).orElse(0.0);
    }

    private static List<String> gaNames(FakeGa4 ga) {
        ObjectMapper json = new ObjectMapper();
        return ga.requests().stream().filter(r -> r.path().equals(FakeGa4.COLLECT)).map(r -> {
            try {
                JsonNode body = json.readTree(r.body());
                return body.path("events").get(0).path("name").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}
