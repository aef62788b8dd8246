package io.touchpoint.core.ingest;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.touchpoint.core.ingest.TestPayloads.body;
import static io.touchpoint.core.ingest.TestPayloads.input;
import static org.assertj.core.api.Assertions.assertThat;

/** The consent object of each dialect: what is taken, and what is refused rather than left to the default. */
class ConsentFieldsTest {
    private final CometlyMapper cometly = new CometlyMapper();
    private final PixelMapper pixel = new PixelMapper();

    @Test
    void aServerEventCarriesTheSignalsItSentAndItsRegion() {
        Event e = accepted(cometly.map(input(body("event_name", "purchase", "email", "a@example.com",
                "consent", body("ad_user_data", "GRANTED", "ad_personalization", "denied", "region", "us-ca")))));
        assertThat(e.consent().adUserData()).isEqualTo(ConsentState.GRANTED);
        assertThat(e.consent().adPersonalization()).isEqualTo(ConsentState.DENIED);
        assertThat(e.consent().adStorage()).isEqualTo(ConsentState.UNKNOWN);
        assertThat(e.consent().region()).isEqualTo("US-CA");

        Event none = accepted(cometly.map(input(body("event_name", "purchase", "email", "a@example.com"))));
        assertThat(none.consent()).isEqualTo(Consent.UNKNOWN);
    }

    @ParameterizedTest(name = "{0}: {1} → {2}")
    @CsvSource({
            "ad_user_data, yes,     consent.ad_user_data",
            "ad_user_data, unknown, consent.ad_user_data",
            "ad_userdata,  granted, consent.ad_userdata",
            "region,       Germany, consent.region",
    })
    void aBadSignalRefusesTheEventNamingIt(String key, String value, String param) {
        MappingResult r = cometly.map(input(body("event_name", "purchase", "email", "a@example.com",
                "consent", body(key, value))));
        assertThat(r).isInstanceOf(MappingResult.Rejected.class);
        FieldError error = ((MappingResult.Rejected) r).errors().get(0);
        assertThat(error.param()).isEqualTo(param);
        assertThat(error.code()).isEqualTo(FieldError.INVALID_VALUE);
    }

    @Test
    void consentThatIsNotAnObjectIsRefused() {
        MappingResult r = cometly.map(input(body("event_name", "purchase", "email", "a@example.com", "consent", "granted")));
        assertThat(((MappingResult.Rejected) r).errors().get(0).param()).isEqualTo("consent");
    }

    @Test
    void aCookielessBeaconNeedsNoTokenOnlyWhenAnalyticsStorageIsDenied() {
        Map<String, Object> denied = body("ad_storage", "denied", "analytics_storage", "denied",
                "ad_user_data", "denied", "ad_personalization", "denied");
        Event e = accepted(pixel.map(input(body("type", "page_view", "url", "https://shop.example.com/",
                "consent", denied, PixelMapper.REGION, "DE"))));
        assertThat(e.identifier(IdentifierType.VISITOR_TOKEN)).isNull();
        assertThat(e.consent().analyticsStorage()).isEqualTo(ConsentState.DENIED);
        assertThat(e.consent().region()).as("the edge's region").isEqualTo("DE");

        MappingResult granted = pixel.map(input(body("type", "page_view", "consent", body("analytics_storage", "granted"))));
        assertThat(((MappingResult.Rejected) granted).errors()).extracting(FieldError::param).containsExactly("token");
        MappingResult region = pixel.map(input(body("type", "page_view", "consent", body("region", "DE"))));
        assertThat(((MappingResult.Rejected) region).errors()).extracting(FieldError::param)
                .as("a beacon's region is the edge's, never the page's").contains("consent.region");
    }

    private static Event accepted(MappingResult r) {
        assertThat(r).isInstanceOf(MappingResult.Accepted.class);
        return ((MappingResult.Accepted) r).event();
    }
}
