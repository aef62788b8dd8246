package io.touchpoint.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PixelSettingsTest {
    @Test
    void cookieDomainsAreNormalisedAndTheLongestCoveringOneApplies() {
        PixelSettings s = new PixelSettings(List.of(), List.of(), List.of(" Example.com ", "shop.example.com", "example.com"));
        assertThat(s.cookieDomains()).containsExactly("example.com", "shop.example.com");
        assertThat(s.cookieDomainFor("www.shop.example.com")).isEqualTo("shop.example.com");
        assertThat(s.cookieDomainFor("blog.example.com")).isEqualTo("example.com");
        assertThat(s.cookieDomainFor("example.org")).isNull();
    }

    @Test
    void aCookieDomainIsNeverAPublicSuffixAnAddressOrAPort() {
        for (String bad : List.of("com", "co.uk", "github.io", "127.0.0.1", "example.com:8080", "localhost", "exa mple.com")) {
            assertThatThrownBy(() -> new PixelSettings(List.of(), List.of(), List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
