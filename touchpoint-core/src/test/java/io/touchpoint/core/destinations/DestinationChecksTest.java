package io.touchpoint.core.destinations;

import io.touchpoint.core.ingest.FieldError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationChecksTest {
    static List<String> problems(DestinationType type, Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        DestinationChecks.settings(type, settings, errors);
        return errors.stream().map(e -> e.param() + " " + e.code()).toList();
    }

    @Test
    void eachTypeNeedsItsSettings() {
        assertThat(problems(DestinationType.META, Map.of())).containsExactlyInAnyOrder("settings.pixel_id missing_field",
                "settings.access_token missing_field");
        assertThat(problems(DestinationType.META, Map.of("pixel_id", "1234", "access_token", "EAAB", "test_event_code", "TEST1"))).isEmpty();
        assertThat(problems(DestinationType.META, Map.of("pixel_id", "abc", "access_token", "EAAB", "colour", "red")))
                .containsExactlyInAnyOrder("settings.pixel_id invalid_value", "settings.colour invalid_value");
        assertThat(problems(DestinationType.GOOGLE_ADS, Map.of("customer_id", "123-456-7890", "conversion_action", "555",
                "client_id", "c.apps.googleusercontent.com", "client_secret", "s", "developer_token", "d", "refresh_token", "r"))).isEmpty();
        assertThat(problems(DestinationType.GOOGLE_ADS, Map.of("customer_id", "12345", "conversion_action", "purchase",
                "client_id", "c", "client_secret", "s", "developer_token", "d", "refresh_token", "r")))
                .containsExactlyInAnyOrder("settings.customer_id invalid_value", "settings.conversion_action invalid_value");
        assertThat(problems(DestinationType.GA4, Map.of("measurement_id", "UA-1", "api_secret", "x")))
                .containsExactly("settings.measurement_id invalid_value");
        assertThat(problems(DestinationType.TIKTOK, Map.of("pixel_code", "C4ABCDEF12", "access_token", "t"))).isEmpty();
    }

    @Test
    void webhooksGoOverHttpsOrToThisMachine() {
        assertThat(problems(DestinationType.WEBHOOK, Map.of("url", "https://hooks.example.com/tp", "secret", "s"))).isEmpty();
        assertThat(problems(DestinationType.WEBHOOK, Map.of("url", "http://127.0.0.1:9000/hook", "secret", "s"))).isEmpty();
        assertThat(problems(DestinationType.WEBHOOK, Map.of("url", "http://hooks.example.com/tp", "secret", "s")))
                .containsExactly("settings.url invalid_value");
        assertThat(problems(DestinationType.WEBHOOK, Map.of("url", "ftp://x", "secret", "s"))).containsExactly("settings.url invalid_value");
        assertThat(DestinationChecks.url("https://user:pw@x.example/", true)).contains("credentials");
        assertThat(DestinationChecks.url("https://proxy.example/?a=1", false)).contains("query");
    }

    @Test
    void eventListsAndMapsNameRealEvents() {
        List<FieldError> errors = new ArrayList<>();
        DestinationChecks.events(List.of("purchase", "Purchase"), Map.of("lead_generated", "Lead", "purchase", "bad name!"), errors);
        assertThat(errors).extracting(FieldError::param).containsExactlyInAnyOrder("events", "event_map.purchase");
    }
}
