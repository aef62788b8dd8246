package io.touchpoint.server.support;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one error shape of docs/ERRORS.md: {@code {"message", "error": {"type", "code", "param", "doc_url"}, "request_id"}}. */
public final class ErrorAssert {
    private ErrorAssert() {
    }

    /** Asserts status, shape and code; returns the {@code error} object for further checks. */
    public static Map<String, Object> assertError(HttpTestClient.Response r, int status, String code) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("message")).as("message").isInstanceOf(String.class);
        assertThat((String) r.json().get("message")).isNotBlank();
        Map<String, Object> error = r.error();
        assertThat(error).as("error object of %s", r.body()).isNotNull()
                .containsKeys("type", "code", "param", "doc_url");
        assertThat(error.get("type")).isInstanceOf(String.class);
        assertThat(error.get("code")).isEqualTo(code);
        assertThat((String) error.get("doc_url")).startsWith("http").endsWith("#" + code);
        assertThat(r.header("Request-Id")).isNotBlank();
        assertThat(r.json().get("request_id")).isEqualTo(r.header("Request-Id"));
        return error;
    }
}
