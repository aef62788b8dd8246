package io.touchpoint.server;

import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void minimumPayloadIsAccepted() {
        try (TestServer s = TestServer.start(dir)) {
            String token = s.createWorkspace("acme").token().secret();
            var r = s.http.postJson("/public-api/v1/events", token,
                    "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\"}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json()).containsEntry("outcome", "accepted");
            assertThat(r.header("Request-Id")).isEqualTo(r.json().get("request_id"));
        }
    }
}
