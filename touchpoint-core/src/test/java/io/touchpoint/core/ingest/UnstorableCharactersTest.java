package io.touchpoint.core.ingest;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.touchpoint.core.ingest.TestPayloads.body;
import static io.touchpoint.core.ingest.TestPayloads.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Characters no store can hold (U+0000, unpaired surrogates): a field that names or keys something is refused with
 * {@code invalid_character} naming it, free text is kept without them, and no message echoes them raw.
 */
class UnstorableCharactersTest {
    private static final String NUL = "\u0000";
    private static final String LONE = "\ud800";

    @Test
    void findsStripsAndEscapes() {
        assertThat(StorableText.firstUnstorable("abc")).isEqualTo(-1);
        assertThat(StorableText.firstUnstorable("a\u0000b")).isEqualTo(1);
        assertThat(StorableText.firstUnstorable("a\ud83d\ude00b")).isEqualTo(-1); // a pair is an emoji, fine
        assertThat(StorableText.firstUnstorable("a\ud83d")).isEqualTo(1);
        assertThat(StorableText.firstUnstorable("\ude00a")).isEqualTo(0);
        assertThat(StorableText.strip("a\u0000b\ud800c\ud83d\ude00")).isEqualTo("abc\ud83d\ude00");
        assertThat(StorableText.escape("a\u0000b\udc00")).isEqualTo("a\\u0000b\\udc00");
        assertThat(StorableText.describeFirst("x\u0000")).isEqualTo("U+0000");
        assertThat(StorableText.escape(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"event_name", "idempotency_key", "order_id", "checkout_token", "currency"})
    void cometlyRefusesKeysNamingTheField(String field) {
        for (String bad : List.of(NUL, LONE)) {
            Map<String, Object> b = body("event_name", "purchase", "email", "dev@example.com", "ip", "1.2.3.4",
                    "fingerprint", "fp1");
            b.put(field, "abc" + bad + "def");
            MappingResult r = new CometlyMapper().map(input(b));
            assertThat(r).isInstanceOf(MappingResult.Rejected.class);
            List<FieldError> errors = ((MappingResult.Rejected) r).errors();
            assertThat(errors).extracting(FieldError::param).contains(field);
            FieldError e = errors.stream().filter(x -> x.param().equals(field)).findFirst().orElseThrow();
            assertThat(e.code()).isEqualTo(FieldError.INVALID_CHARACTER);
            assertThat(errors).allSatisfy(x -> assertThat(StorableText.storable(x.message())).isTrue());
        }
    }

    /** An identifier is never changed into another: it is dropped with a warning while another identifies the event. */
    @ParameterizedTest
    @ValueSource(strings = {"email", "fingerprint", "comet_token", "phone"})
    void cometlyDropsAnIdentifierHoldingThemWhileAnotherIdentifies(String field) {
        for (String bad : List.of(NUL, LONE)) {
            Map<String, Object> b = body("event_name", "purchase", "email", "dev@example.com", "ip", "1.2.3.4",
                    "fingerprint", "fp1", "comet_token", "tok");
            b.put(field, "abc" + bad + "def");
            MappingResult r = new CometlyMapper().map(input(b));
            assertThat(r).isInstanceOf(MappingResult.Accepted.class);
            Event e = ((MappingResult.Accepted) r).event();
            assertThat(e.identifiers()).allSatisfy(i -> assertThat(StorableText.storable(i.value())).isTrue());
            assertThat(r.warnings()).singleElement().asString().startsWith("invalid field '" + field + "' dropped")
                    .contains("U+");
            assertThat(r.warnings()).allSatisfy(w -> assertThat(StorableText.storable(w)).isTrue());

            // alone, it identifies nothing: refused, naming it
            MappingResult alone = new CometlyMapper().map(input(body("event_name", "purchase", field, "abc" + bad)));
            assertThat(alone).isInstanceOf(MappingResult.Rejected.class);
            assertThat(((MappingResult.Rejected) alone).errors()).extracting(FieldError::param).contains(field);
        }
    }

    @Test
    void cometlyKeepsFreeTextWithoutThem() {
        Map<String, Object> b = body("event_name", "purchase", "email", "dev@example.com", "full_name", "Ann\u0000 Lee",
                "url", "https://x.example/\u0000p", "comet_campaign", "spr\ud800ing", "user_agent", "UA\u0000");
        Event e = ((MappingResult.Accepted) new CometlyMapper().map(input(b))).event();
        assertThat(e.person().fullName()).isEqualTo("Ann Lee");
        assertThat(e.context().pageUrl()).isEqualTo("https://x.example/p");
        assertThat(e.context().campaign().name()).isEqualTo("spring");
        assertThat(e.context().userAgent()).isEqualTo("UA");
    }

    @Test
    void messagesNeverEchoThemRaw() {
        assertThat(PayloadFields.clip("x\u0000y")).isEqualTo("x\\u0000y");
        // a cut through a surrogate pair leaves half of it, which is escaped as well
        assertThat(StorableText.storable(PayloadFields.clip("a".repeat(39) + "\ud83d\ude00"))).isTrue();
    }

    @Test
    void pixelRefusesANulFingerprintNamingFp() {
        MappingResult r = new PixelMapper().map(input(body("type", "page_view", "token", "tpv.abc", "fp", "f\u0000p")));
        assertThat(r).isInstanceOf(MappingResult.Rejected.class);
        assertThat(((MappingResult.Rejected) r).errors()).extracting(FieldError::param, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fp", FieldError.INVALID_CHARACTER));
    }

    @Test
    void pixelDropsThemFromPageParametersCookiesAndText() {
        Event e = ((MappingResult.Accepted) new PixelMapper().map(input(body("type", "page_view", "token", "tpv.abc",
                "url", "https://x.example/\u0000", "title", "T\u0000", "params", body("gclid", "G\u00001", "utm_source", "g\ud800"),
                "cookies", body("fbp", "fb.1\u0000"), "person", body("email", "a\u0000@example.com"))))).event();
        assertThat(e.identifier(IdentifierType.GCLID)).isEqualTo("G1");
        assertThat(e.identifier(IdentifierType.FBP)).isEqualTo("fb.1");
        assertThat(e.context().campaign().source()).isEqualTo("g");
        assertThat(e.context().pageUrl()).isEqualTo("https://x.example/");
        assertThat(e.identifiers()).allSatisfy(i -> assertThat(StorableText.storable(i.value())).isTrue());
    }

    @Test
    void ableRefusesKeysAndIdempotencyKeyAndStripsFreeText() {
        Map<String, Object> resource = body("keys", body("email", "dev@example.com", "fbp", "fb\u0000"),
                "utm_source", "news\u0000letter");
        MappingResult r = new AbleMapper().map(input(body("funnel_mark", "m", "event_type", "Lead",
                "idempotency_key", "k\u0000", "resource", resource)));
        assertThat(r).isInstanceOf(MappingResult.Rejected.class);
        assertThat(((MappingResult.Rejected) r).errors()).extracting(FieldError::param)
                .containsExactlyInAnyOrder("idempotency_key", "resource.keys.fbp");

        Map<String, Object> clean = body("keys", body("email", "dev@example.com"), "utm_source", "news\u0000letter",
                "lead", body("firstName", "A\u0000nn"));
        Event e = ((MappingResult.Accepted) new AbleMapper().map(input(body("funnel_mark", "m", "event_type", "Lead",
                "resource", clean)))).event();
        assertThat(e.context().campaign().source()).isEqualTo("newsletter");
        assertThat(e.person().firstName()).isEqualTo("Ann");
    }
}
