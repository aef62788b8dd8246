package io.touchpoint.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Secret generation and hashing. */
class SecretsTest {

    @ParameterizedTest(name = "[{index}] sha256(\"{0}\")")
    @CsvSource({
            "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "The quick brown fox jumps over the lazy dog, "
                    + "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
    })
    void sha256HexMatchesKnownVectors(String input, String expected) {
        assertThat(Secrets.sha256Hex(input)).isEqualTo(expected);
    }

    @Test
    void sha256HexHashesUtf8() {
        // "é" is c3 a9 in UTF-8
        assertThat(Secrets.sha256Hex("\u00e9"))
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void randomHasTheLengthAskedInBase62() {
        assertThat(Secrets.random(0)).isEmpty();
        assertThat(Secrets.random(40)).hasSize(40).matches("[0-9A-Za-z]{40}");
        assertThat(Secrets.random(32)).isNotEqualTo(Secrets.random(32));
    }

    @Test
    void equalHashesComparesExactly() {
        String h = Secrets.sha256Hex("secret");
        assertThat(Secrets.equalHashes(h, Secrets.sha256Hex("secret"))).isTrue();
        assertThat(Secrets.equalHashes(h, Secrets.sha256Hex("secreT"))).isFalse();
        assertThat(Secrets.equalHashes(h, h.substring(1))).isFalse();
    }
}
