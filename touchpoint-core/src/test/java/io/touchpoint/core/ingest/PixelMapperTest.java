package io.touchpoint.core.ingest;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.touchpoint.core.ingest.TestPayloads.RECEIVED_AT;
import static io.touchpoint.core.ingest.TestPayloads.US;
import static io.touchpoint.core.ingest.TestPayloads.body;
import static org.assertj.core.api.Assertions.assertThat;

class PixelMapperTest {
    private final PixelMapper mapper = new PixelMapper();

    private MappingResult map(Map<String, Object> body) {
        return mapper.map(new IngestInput(body, "{}", US, "req_1", "ev_1", RECEIVED_AT));
    }

    private Event accepted(Map<String, Object> body) {
        MappingResult r = map(body);
        assertThat(r).isInstanceOf(MappingResult.Accepted.class);
        return ((MappingResult.Accepted) r).event();
    }

    @Test
    void gclidLandingWithoutUtmIsPaidSearchOnGoogle() {
        Event e = accepted(body("type", "page_view", "token", "tpv.abc12345", "url", "https://shop.example.com/?gclid=G1",
                "params", Map.of("gclid", "G1", "comet_ad_id", "123", "comet_token_override", "tpv.other"),
                PixelMapper.IP, "203.0.113.5", PixelMapper.USER_AGENT, "Chrome"));
        assertThat(e.source()).isEqualTo(Source.PIXEL);
        assertThat(e.name()).isEqualTo(EventNames.PAGE_VIEW);
        assertThat(e.identifier(IdentifierType.GCLID)).isEqualTo("G1");
        assertThat(e.context().ip()).isEqualTo("203.0.113.5");
        assertThat(e.context().campaign().adId()).isEqualTo("123");
        // the touchpoint keeps the ad id comet_ad_id named, as the attribution stage's does
        assertThat(e.customData().get(PixelMapper.TOUCHPOINT)).isEqualTo(Map.of("source", "google", "medium", "cpc",
                "click_id_type", "gclid", "click_id", "G1", "platform", "google", "channel", "Paid Search", "ad_id", "123"));
        assertThat(e.customData().get("comet")).isEqualTo(Map.of("comet_ad_id", "123"));
    }

    @Test
    void keepsWhereTheScriptFoundItsTokenAndIgnoresAnUnknownSource() {
        assertThat(accepted(body("type", "page_view", "token", "tpv.abc12345", "ts", "s")).customData())
                .containsEntry(PixelMapper.TOKEN_SOURCE, "server_cookie");
        assertThat(accepted(body("type", "page_view", "token", "tpv.abc12345", "ts", "n")).customData())
                .containsEntry(PixelMapper.TOKEN_SOURCE, "new");
        assertThat(accepted(body("type", "page_view", "token", "tpv.abc12345", "ts", "u")).customData())
                .containsEntry(PixelMapper.TOKEN_SOURCE, "link");
        assertThat(accepted(body("type", "page_view", "token", "tpv.abc12345", "ts", "zz")).customData())
                .doesNotContainKey(PixelMapper.TOKEN_SOURCE);
        assertThat(accepted(body("type", "page_view", "token", "tpv.abc12345", "ts", 7)).customData())
                .doesNotContainKey(PixelMapper.TOKEN_SOURCE);
        assertThat(accepted(body("type", "page_view", "token", "tpv.abc12345")).customData())
                .doesNotContainKey(PixelMapper.TOKEN_SOURCE);
    }

    @Test
    void directVisitHasNoTouchpoint() {
        Event e = accepted(body("type", "page_view", "token", "tpv.abc12345", "url", "https://shop.example.com/"));
        assertThat(e.customData()).doesNotContainKey(PixelMapper.TOUCHPOINT);
    }

    @Test
    void identifyDropsWhatDoesNotNormaliseAndWarns() {
        MappingResult r = map(body("type", "identify", "token", "tpv.abc12345", "person",
                Map.of("email", "not-an-email", "phone", "12", "full_name", "Jane Doe")));
        assertThat(r).isInstanceOf(MappingResult.Accepted.class);
        Event e = ((MappingResult.Accepted) r).event();
        assertThat(e.name()).isEqualTo(EventNames.IDENTIFY);
        assertThat(e.identifier(IdentifierType.EMAIL)).isNull();
        assertThat(e.person().fullName()).isEqualTo("Jane Doe");
        assertThat(r.warnings()).hasSize(2);
    }

    @Test
    void refusesBeaconsWithoutTypeOrToken() {
        assertThat(map(body("token", "tpv.abc12345"))).isInstanceOf(MappingResult.Rejected.class);
        assertThat(map(body("type", "page_view"))).isInstanceOf(MappingResult.Rejected.class);
        assertThat(map(body("type", "page_view", "token", "has spaces"))).isInstanceOf(MappingResult.Rejected.class);
        assertThat(map(body("type", "nonsense", "token", "tpv.abc12345"))).isInstanceOf(MappingResult.Rejected.class);
    }
}
