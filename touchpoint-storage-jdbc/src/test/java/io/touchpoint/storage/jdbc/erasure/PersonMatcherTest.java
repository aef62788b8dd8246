package io.touchpoint.storage.jdbc.erasure;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What erasure takes as naming the person in a payload as sent. */
class PersonMatcherTest {
    private static final PersonMatcher JANE = new PersonMatcher(List.of(
            new Identifier(IdentifierType.EMAIL, "jane.doe@shop.io"),
            new Identifier(IdentifierType.PHONE, "14155550188"),
            new Identifier(IdentifierType.PHONE, "442079460958"),
            new Identifier(IdentifierType.VISITOR_TOKEN, "tok_8f2c91"),
            new Identifier(IdentifierType.FINGERPRINT, "fp-77a1b2|203.0.113.9"),
            new Identifier(IdentifierType.CLIENT_ID, "A")));

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"email\":[\"jane.doe@shop.io\"]}",
            "{\"email\":\"JANE.DOE@Shop.IO\",",
            "email=jane.doe%40shop.io&x=1",
            "{\"email\":\"jane.doe\\u0040shop.io\"}",
            "{\"phone\":\"+1 415-555-0188\"}",
            "{\"phone\":\"(415) 555-0188\"}",
            "{\"phone\":\"415.555.0188\"}",
            "{\"phone\":14155550188}",
            "{\"phone\":\"001 415 555 0188\"}",
            "{\"phone\":\"011 1 415 555 0188\"}",
            "phone=%2B1%20415%20555%200188",
            "order 12 415 555 0188",
            "{\"phone\":\"+44 (0)20 7946 0958\"}",
            "{\"phone\":\"020 7946 0958\"}",
            "{\"phone\":\"0044 20 7946 0958\"}",
            "{\"comet_token\":\"tok_8f2c91\"}",
            "{\"fingerprint\":\"fp-77a1b2\"}",
            "phone is not a phone number: '+1 415 555 0188 ext'",
    })
    void findsThePersonInTheFormsTheyWereSent(String text) {
        assertThat(JANE.namedIn(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"email\":\"jane.doe@shop.com\"}",
            "{\"email\":\"ann@shop.io\",\"phone\":\"+1 415 555 0199\"}",
            "{\"phone\":\"+1 415 555 0189\"}",
            "{\"amount\":41555501881}",
            "{\"ts\":1700004155550188}",
            "{\"phone\":\"415-555-018-82\"}",
            "{\"ip\":\"203.0.113.9\"}",
            "{\"event_name\":\"A\"}",
            "",
    })
    void leavesOtherTextAlone(String text) {
        assertThat(JANE.namedIn(text)).isFalse();
    }

    @Test
    void nothingNamesNobody() {
        assertThat(JANE.namedIn(null)).isFalse();
        assertThat(new PersonMatcher(List.of()).namedIn("{\"email\":\"jane.doe@shop.io\"}")).isFalse();
        assertThat(new PersonMatcher(List.of(new Identifier(IdentifierType.CLIENT_ID, "A"))).isEmpty()).isTrue();
    }

    @Test
    void decodingLeavesBrokenEscapesAsTheyAre() {
        assertThat(PersonMatcher.decode("a%4")).isEqualTo("a%4");
        assertThat(PersonMatcher.decode("\\u00zz %zz %e2%82%ac \\/")).isEqualTo("\\u00zz %zz %e2%82%ac /");
        assertThat(PersonMatcher.decode("\\u0040%40")).isEqualTo("@@");
    }
}
