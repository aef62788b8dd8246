package io.touchpoint.server.config;

import io.touchpoint.server.sso.SsoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code sso.*} settings: off without an issuer, and a mistake stops the start with the setting's name. */
class SsoSettingsTest {
    private static SsoSettings load(Map<String, String> env) {
        return new ConfigLoader(null, env, Map.of()).load().sso();
    }

    private static Map<String, String> with(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("TOUCHPOINT_SSO_ISSUER", "https://accounts.example.com",
                "TOUCHPOINT_SSO_CLIENT_ID", "touchpoint"));
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    @Test
    void offUnlessAnIssuerIsSet() {
        SsoSettings off = load(Map.of());
        assertThat(off.enabled()).isFalse();
        assertThat(off).isEqualTo(SsoSettings.OFF);
    }

    @Test
    void readFromTheEnvironmentWithItsDefaults() {
        SsoSettings s = load(with("TOUCHPOINT_SSO_CLIENT_SECRET", "very-secret-value",
                "TOUCHPOINT_SSO_ADMIN_EMAILS", "Ana@Example.com, ben@example.com"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.issuer()).isEqualTo(URI.create("https://accounts.example.com"));
        assertThat(s.clientSecret()).isEqualTo("very-secret-value");
        assertThat(s.buttonLabel()).as("the issuer's host").isEqualTo("accounts.example.com");
        assertThat(s.redirectUri()).as("derived from each request").isNull();
        assertThat(s.adminEmails()).isEqualTo(Set.of("ana@example.com", "ben@example.com"));
        assertThat(s.requireEmailVerified()).isTrue();
        assertThat(s.toString()).doesNotContain("very-secret-value");
        assertThat(load(with("TOUCHPOINT_SSO_REQUIRE_EMAIL_VERIFIED", "false")).requireEmailVerified()).isFalse();
        assertThat(load(with("TOUCHPOINT_SSO_ISSUER", "http://127.0.0.1:9000/realms/test")).enabled())
                .as("plain HTTP to a provider on this machine").isTrue();
    }

    @Test
    void aClientIdIsRequiredWithAnIssuerAndAnIssuerWithAClient() {
        Map<String, String> noClient = with();
        noClient.remove("TOUCHPOINT_SSO_CLIENT_ID");
        assertThatThrownBy(() -> load(noClient)).isInstanceOf(ConfigException.class).hasMessageContaining("sso.client-id");
        assertThatThrownBy(() -> load(Map.of("TOUCHPOINT_SSO_CLIENT_ID", "touchpoint")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sso.issuer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"accounts.example.com", "http://accounts.example.com", "ftp://accounts.example.com",
            "https://accounts.example.com/?x=1", "https://accounts.example.com/#f"})
    void anIssuerMustBeAnHttpsUrl(String issuer) {
        assertThatThrownBy(() -> load(with("TOUCHPOINT_SSO_ISSUER", issuer))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sso.issuer");
    }

    @Test
    void otherMistakesNameTheirSetting() {
        assertThatThrownBy(() -> load(with("TOUCHPOINT_SSO_ADMIN_EMAILS", "ana@example.com, not-an-address")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sso.admin-emails").hasMessageContaining("not-an-address");
        assertThatThrownBy(() -> load(with("TOUCHPOINT_SSO_REDIRECT_URI", "/admin/v1/sso/callback")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sso.redirect-uri");
        assertThatThrownBy(() -> load(with("TOUCHPOINT_SSO_BUTTON_LABEL", "x".repeat(61))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sso.button-label");
        assertThatThrownBy(() -> load(with("TOUCHPOINT_SSO_REQUIRE_EMAIL_VERIFIED", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sso.require-email-verified");
    }
}
