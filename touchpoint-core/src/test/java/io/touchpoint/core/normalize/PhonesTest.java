package io.touchpoint.core.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Phones as digits with country code, no symbols, letters or leading zeros. */
class PhonesTest {

    @ParameterizedTest(name = "[{index}] \"{0}\" in {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "(650)555-1212       | US | 16505551212",
            "650.555.1212        | US | 16505551212",
            "  650 555 1212      | US | 16505551212",
            "+1 650-555-1212     | US | 16505551212",
            "1 (650) 555-1212    | US | 16505551212",
            "+16505551212        | US | 16505551212",
            "6505551212          | US | 16505551212",
            "0044 20 7946 0958   | US | 442079460958",
            "+44 (0)20 7946 0958 | US | 442079460958",
            "020 7946 0958       | GB | 442079460958",
            "07700 900123        | GB | 447700900123",
            "+1 650-555-1212     | GB | 16505551212",
            "0044 20 7946 0958   | GB | 442079460958",
            "030 1234567         | DE | 49301234567",
            "06 12 34 56 78      | FR | 33612345678",
            "+39 06 6982 0000    | US | 390669820000", // Italy keeps the leading 0 of the number itself
    })
    void normalisesToDigitsWithCountryCode(String raw, String region, String expected) {
        assertThat(Phones.normalize(raw, region)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "abc", "12", "123", "555-CALL-NOW", "1-800-FLOWERS", "+999 1234", "+44", "000", "0", "+", "--",
            "''", "'   '", "650555121265055512126505551212650555121265",
    })
    void rejectsWhatCannotBeAPhoneNumber(String raw) {
        assertThat(Phones.normalize(raw, "US")).isEmpty();
    }

    @Test
    void nullIsNoPhone() {
        assertThat(Phones.normalize(null, "US")).isEmpty();
    }

    @Test
    void aLocalNumberWithoutItsAreaCodeIsRefused() {
        assertThat(Phones.normalize("1234567", "US")).isEmpty();
        assertThat(Phones.normalize("555-1212", "US")).isEmpty();
        assertThat(Phones.normalize("(650)555-1212", "US")).contains("16505551212");
    }

    @Test
    void aNormalisedNumberSplitsIntoCountryCodeAndNationalNumber() {
        assertThat(Phones.parts("16505551212")).contains(new Phones.Parts("1", "6505551212"));
        assertThat(Phones.parts("442079460958")).contains(new Phones.Parts("44", "2079460958"));
        assertThat(Phones.parts("390669820000")).contains(new Phones.Parts("39", "0669820000"));
        assertThat(Phones.parts("+16505551212")).isEmpty();
        assertThat(Phones.parts("")).isEmpty();
        assertThat(Phones.parts(null)).isEmpty();
    }

    @Test
    void supportedRegionsAreLibphonenumbers() {
        assertThat(Phones.isSupportedRegion("gb")).isTrue();
        assertThat(Phones.isSupportedRegion("ZZ")).isFalse();
        assertThat(Phones.isSupportedRegion(null)).isFalse();
    }
}
