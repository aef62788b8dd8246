package io.touchpoint.server.attribution;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Click-id joins, end to end: a visitor lands on the site from a Meta ad (the pixel's page view carries the
 * campaign, the fbclid and the _fbp and _fbc cookies); then an Able {@code Lead} arrives keyed only by that
 * {@code fbp}, and later one keyed only by the click, sent as an {@code _fbc} cookie in Able's {@code fbclid} key.
 * Both join the visitor, so the report credits the Meta campaign, not Direct, and the first lead's receipt has the
 * visit as its path, not a Direct stand-in.
 */
class ClickIdJoinTest extends ServerTest {
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private static final String FBCLID = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk";

    private String collect(Ws ws, Map<String, Object> beacon) {
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(beacon), new HashMap<>(Map.of("User-Agent", UA)));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("event_id");
    }

    private String able(Funnel f, String type, String keys) {
        Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\"" + type
                + "\",\"resource\":{\"keys\":{" + keys + "}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("id");
    }

    @Test
    void anAbleLeadKeyedOnlyByFbpIsCreditedToTheMetaCampaignOfTheVisitThatCarriedIt() throws Exception {
        Ws ws = newWorkspace();
        long clickedAt = System.currentTimeMillis();
        String fbp = "fb.1." + clickedAt + ".1098765432";
        String visit = collect(ws, Map.of("type", "page_view", "token", "tpv.metaVisitor1", "fp", "fp-meta",
                "url", "https://shop.example.com/landing?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_sale&fbclid=" + FBCLID,
                "title", "Spring sale",
                "params", Map.of("utm_source", "facebook", "utm_medium", "paid_social", "utm_campaign", "spring_sale", "fbclid", FBCLID),
                "cookies", Map.of("fbp", fbp, "fbc", "fb.1." + clickedAt + "." + FBCLID)));
        Thread.sleep(5);
        Funnel f = server.workspaces().createFunnel(ws.id(), "able-" + ws.name());
        String lead = able(f, "Lead", "\"fbp\":\"" + fbp + "\"");
        String secondLead = able(f, "Lead", "\"fbclid\":\"fb.1." + (clickedAt + 1) + "." + FBCLID + "\"");
        awaitProcessed();

        Map<String, Object> profile = profileByIdentifier(ws, "fbp:" + fbp);
        String id = (String) profile.get("id");
        assertThat(list(profile.get("merges"))).isEmpty();
        assertThat(list(http.get("/api/v1/profiles/" + id + "/journey", ws.token()).json().get("data")))
                .extracting(e -> e.get("event_id")).containsExactly(visit, lead, secondLead);
        assertThat(profileByIdentifier(ws, "fbc:fb.1.1.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"))
                .containsEntry("id", id);

        // the fbp-only lead has the visit as its whole path; the second lead's click id makes a (Meta) touchpoint of its own
        Map<String, Object> byCampaign = report(ws, "campaign", "first_touch,last_touch");
        assertThat(map(byCampaign.get("totals"))).containsEntry("conversions", 2);
        assertThat(conversions(byCampaign, "spring_sale", "first_touch")).isEqualTo(2.0);
        assertThat(conversions(byCampaign, "spring_sale", "last_touch")).isEqualTo(1.0);
        Map<String, Object> byPlatform = report(ws, "platform", "last_touch");
        assertThat(list(byPlatform.get("rows"))).extracting(r -> r.get("group")).containsExactly("meta");
        assertThat(conversions(byPlatform, "meta", "last_touch")).isEqualTo(2.0);

        Response receipt = http.get("/api/v1/conversions/" + lead + "/attribution", ws.token());
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
        assertThat(list(map(receipt.json().get("data")).get("path"))).singleElement().satisfies(step -> assertThat(step)
                .containsEntry("stand_in", false).containsEntry("platform", "meta").containsEntry("campaign", "spring_sale")
                .containsEntry("channel", "Paid Social"));
        Response second = http.get("/api/v1/conversions/" + secondLead + "/attribution", ws.token());
        assertThat(list(map(second.json().get("data")).get("path"))).extracting(step -> step.get("campaign") + " " + step.get("stand_in"))
                .containsExactly("spring_sale false", "null false");
    }

    private Map<String, Object> report(Ws ws, String groupBy, String models) {
        Response r = http.get("/api/v1/reports/attribution?event_name=lead_generated&group_by=" + groupBy + "&model=" + models, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }

    private static double conversions(Map<String, Object> report, String group, String model) {
        return list(report.get("rows")).stream().filter(r -> group.equals(r.get("group"))).findFirst()
                .map(r -> ((Number) map(map(r.get("models")).get(model)).get("conversions")).doubleValue()).orElse(0.0);
    }
}
