package io.touchpoint.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing RFC 7239's Forwarded header: elements, parameters, quoted strings. */
class ForwardedHeaderTest {
    @Test
    void elementsAndParametersWithQuotedValues() {
        assertThat(HttpsPolicy.forwardedElements("for=192.0.2.60;proto=http;by=203.0.113.43"))
                .containsExactly(Map.of("for", "192.0.2.60", "proto", "http", "by", "203.0.113.43"));
        assertThat(HttpsPolicy.forwardedElements("For=\"[2001:db8:cafe::17]:4711\", for=192.0.2.43 ; Host=\"a,b.example\""))
                .containsExactly(Map.of("for", "[2001:db8:cafe::17]:4711"), Map.of("for", "192.0.2.43", "host", "a,b.example"));
        assertThat(HttpsPolicy.forwardedElements("for=\"a\\\"b\";proto=https")).containsExactly(Map.of("for", "a\"b", "proto", "https"));
        assertThat(HttpsPolicy.forwardedElements(" , ;; =x, for=unknown")).containsExactly(Map.of("for", "unknown"));
        assertThat(HttpsPolicy.forwardedElements("")).isEqualTo(List.of());
    }
}
