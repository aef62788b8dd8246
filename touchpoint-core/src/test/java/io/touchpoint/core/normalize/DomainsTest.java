package io.touchpoint.core.normalize;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DomainsTest {
    @Test
    void hostNamesOfHostHeadersAndUrls() {
        assertThat(Domains.hostName("Shop.Example.COM:8443")).contains("shop.example.com");
        assertThat(Domains.hostName("shop.example.com.")).contains("shop.example.com");
        assertThat(Domains.hostName("[2001:db8::1]:443")).contains("2001:db8::1");
        assertThat(Domains.hostName("127.0.0.1:80")).contains("127.0.0.1");
        assertThat(Domains.hostName("evil.com/x")).isEmpty();
        assertThat(Domains.hostName("a b")).isEmpty();
        assertThat(Domains.hostName("host:port")).isEmpty();
        assertThat(Domains.hostName("")).isEmpty();
        assertThat(Domains.hostName(null)).isEmpty();
        assertThat(Domains.hostOfUrl("https://user@www.example.com:8443/p?q#f")).contains("www.example.com");
        assertThat(Domains.hostOfUrl("null")).isEmpty();
    }

    @Test
    void registrableDomainFollowsThePublicSuffixListPrivateSectionIncluded() {
        assertThat(Domains.registrable("shop.example.com")).contains("example.com");
        assertThat(Domains.registrable("example.com")).contains("example.com");
        assertThat(Domains.registrable("a.b.shop.example.co.uk")).contains("example.co.uk");
        assertThat(Domains.registrable("myshop.myshopify.com")).as("private section").contains("myshop.myshopify.com");
        assertThat(Domains.registrable("user.github.io")).contains("user.github.io");
        assertThat(Domains.registrable("co.uk")).as("a public suffix itself").isEmpty();
        assertThat(Domains.registrable("localhost")).isEmpty();
        assertThat(Domains.registrable("intranet")).isEmpty();
        assertThat(Domains.registrable("127.0.0.1")).isEmpty();
        assertThat(Domains.registrable("2001:db8::1")).isEmpty();
        assertThat(Domains.registrable(null)).isEqualTo(Optional.empty());
    }

    @Test
    void publicSuffixesAndDomainMatching() {
        assertThat(Domains.isPublicSuffix("com")).isTrue();
        assertThat(Domains.isPublicSuffix("co.uk")).isTrue();
        assertThat(Domains.isPublicSuffix("github.io")).isTrue();
        assertThat(Domains.isPublicSuffix("example.com")).isFalse();
        assertThat(Domains.domainMatches("shop.example.com", "example.com")).isTrue();
        assertThat(Domains.domainMatches("example.com", "example.com")).isTrue();
        assertThat(Domains.domainMatches("badexample.com", "example.com")).isFalse();
        assertThat(Domains.domainMatches("example.com", "shop.example.com")).isFalse();
    }
}
