package io.touchpoint.core.destinations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {
    private static final String SECRET = "whsec_test";
    private static final String BODY = "{\"event\":\"purchase\"}";
    private static final long T = 1_700_000_000L;
    // computed independently: printf '%s' '1700000000.{"event":"purchase"}' | openssl dgst -sha256 -hmac whsec_test
    private static final String V1 = "4c51fa296cb8511cd29962741c2033e7450fc94f81c4e12de4f082c833ee4a89";

    @Test
    void theHeaderIsTimestampAndHmacOfTimestampDotBody() {
        assertThat(WebhookSignature.HEADER).isEqualTo("Touchpoint-Signature");
        assertThat(WebhookSignature.header(SECRET, T, BODY)).isEqualTo("t=" + T + ",v1=" + V1);
    }

    @Test
    void aFreshSignatureVerifies() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertThat(WebhookSignature.verify(SECRET, header, BODY, T, 300)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, T + 300, 300)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, T - 300, 300)).isTrue();
    }

    @ParameterizedTest(name = "now = t{0}")
    @ValueSource(longs = {301, -301, 86_400})
    void aSignatureOutsideTheToleranceIsAReplay(long offset) {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertThat(WebhookSignature.verify(SECRET, header, BODY, T + offset, 300)).isFalse();
    }

    @Test
    void anotherBodySecretOrTimestampDoesNotVerify() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertThat(WebhookSignature.verify(SECRET, header, BODY + " ", T, 300)).isFalse();
        assertThat(WebhookSignature.verify("whsec_other", header, BODY, T, 300)).isFalse();
        // moving the timestamp forward to slip inside the tolerance breaks the signature
        String moved = header.replace("t=" + T, "t=" + (T + 1000));
        assertThat(WebhookSignature.verify(SECRET, moved, BODY, T + 1000, 300)).isFalse();
    }

    @Test
    void oneMatchingSignatureAmongSeveralIsEnough() {
        String header = "t=" + T + ",v1=" + "0".repeat(64) + ", v1=" + V1;
        assertThat(WebhookSignature.verify(SECRET, header, BODY, T, 300)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @CsvSource(delimiter = '|', value = {"v1=" + V1, "t=abc,v1=" + V1, "t=1700000000", "t=1700000000,v2=" + V1,
            "t=1700000000,v1=" + V1 + "00", "garbage"})
    void malformedHeadersDoNotVerify(String header) {
        assertThat(WebhookSignature.verify(SECRET, header, BODY, T, 300)).isFalse();
    }

    @Test
    void aSecretIsRequired() {
        assertThat(WebhookSignature.verify("", "t=" + T + ",v1=" + V1, BODY, T, 300)).isFalse();
        assertThatThrownBy(() -> WebhookSignature.header("", T, BODY)).isInstanceOf(IllegalArgumentException.class);
    }
}
