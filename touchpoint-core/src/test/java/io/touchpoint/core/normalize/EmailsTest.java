package io.touchpoint.core.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Emails are stored trimmed and lower-cased; what ad platforms would not accept is refused. */
class EmailsTest {

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "'  Dev@Cometly.COM '           | dev@cometly.com",
            "developers@cometly.com         | developers@cometly.com",
            "First.Last+Tag@Sub.Example.co.UK | first.last+tag@sub.example.co.uk",
            "o'brien@example.ie             | o'brien@example.ie",
            "a_b-c@my-host.example          | a_b-c@my-host.example",
            "x@b.co                         | x@b.co",
            "user@123.example.com           | user@123.example.com",
    })
    void trimsAndLowerCases(String raw, String expected) {
        assertThat(Emails.normalize(raw)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"a@b", "no-at", "a@@b.com", "a@b@c.com", "a b@c.com", "a@b .com", "a@b.123",
            "@b.com", "a@", "a@.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@-b.com", "a@b-.com", "a@b..com",
            "a@b.com.", "a@b_c.com", "a(b)@c.com", "dév@example.com", "a@exämple.com", "", "   "})
    void rejectsWhatIsNoEmailAddress(String raw) {
        assertThat(Emails.normalize(raw)).isEmpty();
    }

    @Test
    void rejectsOverlongParts() {
        String local64 = "a".repeat(64);
        assertThat(Emails.normalize(local64 + "@example.com")).contains(local64 + "@example.com");
        assertThat(Emails.normalize(local64 + "a@example.com")).isEmpty();
        String label63 = "b".repeat(63);
        assertThat(Emails.normalize("a@" + label63 + ".com")).contains("a@" + label63 + ".com");
        assertThat(Emails.normalize("a@" + label63 + "b.com")).isEmpty();
        String longDomain = (label63 + ".").repeat(4) + "com"; // 259 characters with "a@"
        assertThat(Emails.normalize("a@" + longDomain)).isEmpty();
    }

    @Test
    void nullIsNoEmail() {
        assertThat(Emails.normalize(null)).isEmpty();
    }
}
