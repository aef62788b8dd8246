package io.touchpoint.core.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private final byte[] key = SecretBox.newKey();

    @Test
    void sealsSoThatOnlyTheKeyOpens() {
        SecretBox box = new SecretBox(key, List.of());
        Map<String, String> secrets = Map.of("access_token", "EAAB-secret&token=x", "ünïcode", "välue");
        String sealed = box.seal(secrets);
        assertThat(sealed).startsWith("tps1:" + box.primaryKeyId() + ":").doesNotContain("EAAB").doesNotContain("secret");
        assertThat(box.open(sealed)).isEqualTo(secrets);
        assertThat(box.seal(secrets)).as("a fresh nonce every time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> new SecretBox(SecretBox.newKey(), List.of()).open(sealed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not configured");
    }

    @Test
    void refusesAlteredCiphertext() {
        SecretBox box = new SecretBox(key, List.of());
        String sealed = box.seal(Map.of("k", "v"));
        byte[] raw = Base64.getDecoder().decode(sealed.substring(sealed.lastIndexOf(':') + 1));
        raw[raw.length - 1] ^= 1;
        String altered = sealed.substring(0, sealed.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> box.open(altered)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("altered");
    }

    @Test
    void aRotatedKeyStillOpensWhatTheOldOneSealed() {
        SecretBox old = new SecretBox(key, List.of());
        String sealed = old.seal(Map.of("k", "v"));
        SecretBox rotated = new SecretBox(SecretBox.newKey(), List.of(key));
        assertThat(rotated.open(sealed)).containsEntry("k", "v");
        assertThat(SecretBox.keyIdOf(sealed)).isNotEqualTo(rotated.primaryKeyId());
        assertThat(SecretBox.keyIdOf(rotated.seal(Map.of("k", "v")))).isEqualTo(rotated.primaryKeyId());
    }

    @Test
    void keysAreThirtyTwoBytesAndHintsShowFourCharacters() {
        assertThatThrownBy(() -> new SecretBox("short".getBytes(StandardCharsets.US_ASCII), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SecretBox.hint("EAABsecretf3a9")).isEqualTo("…f3a9");
        assertThat(SecretBox.hint("ab")).as("a short secret shows nothing of itself").isEqualTo("…");
        assertThat(SecretBox.hint("123456789012")).isEqualTo("…");
        assertThat(SecretBox.hint(null)).isNull();
    }
}
