package io.touchpoint.core.traffic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LandingPathTest {
    @Test
    void thePathWithoutQueryOrFragment() {
        assertThat(LandingPath.of("https://shop.example.com/pricing?utm_source=x#top")).isEqualTo("/pricing");
        assertThat(LandingPath.of("https://shop.example.com")).isEqualTo("/");
        assertThat(LandingPath.of("https://shop.example.com/a b?q=1")).as("not a URI: cut by hand").isEqualTo("/a b");
        assertThat(LandingPath.of("/blog/post?x")).isEqualTo("/blog/post");
        assertThat(LandingPath.of(null)).isEqualTo(LandingPath.UNKNOWN);
        assertThat(LandingPath.of("mailto:someone@example.com")).isEqualTo(LandingPath.UNKNOWN);
        assertThat(LandingPath.of("https://shop.example.com/" + "a".repeat(500))).hasSize(LandingPath.MAX_LENGTH);
    }
}
