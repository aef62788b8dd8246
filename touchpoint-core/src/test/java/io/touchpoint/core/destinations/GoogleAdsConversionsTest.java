package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.destinations.SampleEntries.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoogleAdsConversionsTest {
    private static final Destination ADS = destination(DestinationType.GOOGLE_ADS,
            Map.of("customer_id", "123-456-7890", "conversion_action", "987654", "client_id", "c"));
    private static final String ACTION = "customers/1234567890/conversionActions/987654";

    @Test
    void aPurchaseWithItsClickIdAndEnhancedConversionIdentifiers() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("gclid", "gclid-123");
        expected.put("conversionAction", ACTION);
        expected.put("conversionDateTime", "2026-03-01 12:30:45+00:00");
        expected.put("conversionValue", new BigDecimal("49.90"));
        expected.put("currencyCode", "USD");
        expected.put("orderId", "order-42");
        expected.put("userIdentifiers", List.of(Map.of("hashedEmail", sha("janedoe@gmail.com")),
                Map.of("hashedPhoneNumber", sha("+16505551212"))));

        Map<String, Object> body = GoogleAdsConversions.request(ADS, List.of(entry(purchase())));

        assertThat(body).isEqualTo(Map.of("conversions", List.of(expected), "partialFailure", true));
    }

    @Test
    void withoutValueOrOrderTheOrderIdIsTheDedupKeyAndOnlyKnownIdentifiersAreSent() {
        Event e = withCommerce(withIdentifiers(bareLead(), List.of(new Identifier(IdentifierType.WBRAID, "wb-1"))),
                Commerce.NONE);
        Map<String, Object> conversion = GoogleAdsConversions.conversion(ACTION, entry(e));
        assertThat(conversion).containsOnlyKeys("wbraid", "conversionAction", "conversionDateTime", "orderId")
                .containsEntry("wbraid", "wb-1").containsEntry("orderId", DEDUP);
    }

    @Test
    void gclidIsPreferredThenGbraidThenWbraid() {
        Event all = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.WBRAID, "wb"),
                new Identifier(IdentifierType.GBRAID, "gb"), new Identifier(IdentifierType.GCLID, "gc")));
        Event app = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.WBRAID, "wb"),
                new Identifier(IdentifierType.GBRAID, "gb")));
        assertThat(GoogleAdsConversions.conversion(ACTION, entry(all))).containsEntry("gclid", "gc")
                .doesNotContainKeys("gbraid", "wbraid");
        assertThat(GoogleAdsConversions.conversion(ACTION, entry(app))).containsEntry("gbraid", "gb")
                .doesNotContainKeys("gclid", "wbraid");
    }

    @Test
    void anEventWithoutClickIdIsUnmatchable() {
        assertThat(GoogleAdsConversions.unmatchable(entry(bareLead()))).contains("no_click_id");
        assertThat(GoogleAdsConversions.unmatchable(entry(purchase()))).isEmpty();
        assertThatThrownBy(() -> GoogleAdsConversions.request(ADS, List.of(entry(bareLead()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_click_id");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "2019-01-01T12:32:45Z,          2019-01-01 12:32:45+00:00",
            "2026-03-01T12:30:45.999999Z,   2026-03-01 12:30:45+00:00",
            "2024-02-29T23:59:59Z,          2024-02-29 23:59:59+00:00",
            "2025-07-04T00:00:00Z,          2025-07-04 00:00:00+00:00",
    })
    void conversionDateTimeIsGooglesFormatInUtc(String instant, String formatted) {
        assertThat(GoogleAdsConversions.conversionDateTime(Instant.parse(instant))).isEqualTo(formatted);
    }

    @ParameterizedTest
    @CsvSource({"123-456-7890, 1234567890", "1234567890, 1234567890", "' 123-456-7890 ', 1234567890"})
    void customerIdIsTenDigits(String raw, String id) {
        assertThat(GoogleAdsConversions.customerId(raw)).isEqualTo(id);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"123-456-789", "12345678901", "123-abc-7890", "123.456.7890"})
    void otherCustomerIdsAreRefusedWithAClearMessage(String raw) {
        assertThatThrownBy(() -> GoogleAdsConversions.customerId(raw))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 digits");
    }

    @Test
    void theConversionActionMayBeAnIdOrAResourceName() {
        assertThat(GoogleAdsConversions.conversionAction("123-456-7890", " 987654 ")).isEqualTo(ACTION);
        assertThat(GoogleAdsConversions.conversionAction("123-456-7890", "customers/111/conversionActions/5"))
                .isEqualTo("customers/111/conversionActions/5");
        assertThatThrownBy(() -> GoogleAdsConversions.conversionAction("1234567890", "Purchases"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conversion_action");
    }
}
