package io.touchpoint.core.users;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {
    @Test
    void aHashIsAnArgon2idPhcStringThatVerifiesOnlyItsPassword() {
        String h = Passwords.hash("correct horse battery");
        assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Passwords.verify("correct horse battery", h)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", h)).isFalse();
        assertThat(Passwords.hash("correct horse battery")).as("salted").isNotEqualTo(h);
    }

    @Test
    void theParametersAreReadFromTheStoredString() {
        // RFC 9106's parameters are not the defaults here; a hash made with others still verifies by its own
        String cheap = "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
                + java.util.Base64.getEncoder().withoutPadding().encodeToString(derive("pw-for-cheap-hash"));
        assertThat(Passwords.verify("pw-for-cheap-hash", cheap)).isTrue();
        assertThat(Passwords.verify("another password", cheap)).isFalse();
    }

    @Test
    void aMalformedStoredStringVerifiesNothing() {
        for (String bad : new String[]{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$a$b",
                "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=1,p=1$%%$%%"}) {
            assertThat(Passwords.verify("whatever password", bad)).as(bad).isFalse();
        }
        assertThat(Passwords.verify(null, Passwords.hash("some long password"))).isFalse();
    }

    @Test
    void thePolicyWantsTwelveCharactersAndNotOnlySpaces() {
        assertThat(Passwords.policyViolation("short")).hasValueSatisfying(m -> assertThat(m).contains("12"));
        assertThat(Passwords.policyViolation(null)).isPresent();
        assertThat(Passwords.policyViolation(" ".repeat(12))).isPresent();
        assertThat(Passwords.policyViolation("x".repeat(Passwords.MAX_LENGTH + 1))).isPresent();
        assertThat(Passwords.policyViolation("twelve chars")).isEmpty();
    }

    private static byte[] derive(String password) {
        var params = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id).withVersion(0x13).withMemoryAsKB(64)
                .withIterations(1).withParallelism(1).withSalt("somesaltsomesalt".getBytes()).build();
        var gen = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[32];
        gen.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        return out;
    }
}
