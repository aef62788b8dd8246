package io.touchpoint.server.destinations;

import io.touchpoint.server.telemetry.BuildInfo;
import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls to the platforms say which Touchpoint makes them: {@code User-Agent: Touchpoint/<version>}. */
class OutboundUserAgentTest extends DeliveryServerTest {
    @Test
    void aDestinationReceivesTheVersionInTheUserAgent() {
        try (FakeWebhookReceiver hook = new FakeWebhookReceiver("whsec_ua_secret")) {
            Ws ws = newWorkspace();
            String dst = (String) addDestination(ws, "webhook", Map.of("url", hook.baseUrl() + "/hooks/touchpoint",
                    "secret", "whsec_ua_secret"), Map.of()).get("id");
            Response test = http.postJson("/admin/v1/destinations/" + dst + "/test", TestServer.ADMIN_TOKEN, "{}");
            assertThat(test.status()).as(test.body()).isEqualTo(200);
            assertThat(hook.requests()).isNotEmpty().extracting(r -> r.header("User-Agent"))
                    .containsOnly("Touchpoint/" + BuildInfo.current().version());
            assertThat(BuildInfo.current().version()).isNotEqualTo(BuildInfo.UNKNOWN);
        }
    }
}
