package io.touchpoint.server.support;

import io.touchpoint.server.support.HttpTestClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/** The success shape every ingest route answers with for a newly stored event. */
public final class AcceptedAssert {
    private AcceptedAssert() {
    }

    /** Asserts a 202 for a new event, its request id in header and body; returns the event id. */
    public static String assertAccepted(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.header("Request-Id")).isNotBlank();
        assertThat(r.json()).containsEntry("status", 202).containsEntry("outcome", "accepted")
                .containsEntry("request_id", r.header("Request-Id")).containsKey("message");
        assertThat(r.json().get("id")).isInstanceOf(String.class);
        return (String) r.json().get("id");
    }
}
