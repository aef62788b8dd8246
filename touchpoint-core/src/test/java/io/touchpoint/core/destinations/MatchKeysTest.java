package io.touchpoint.core.destinations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static io.touchpoint.core.destinations.SampleEntries.sha;
import static org.assertj.core.api.Assertions.assertThat;

/** Each platform's normal form, and hashes checked against published vectors. */
class MatchKeysTest {

    @ParameterizedTest(name = "sha256(\"{0}\")")
    @CsvSource({
            // FIPS 180-2 examples
            "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "test@example.com, 973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b",
    })
    void sha256KnownVectors(String input, String hex) {
        assertThat(MatchKeys.sha256(input)).isEqualTo(hex);
    }

    /** The examples on Meta's customer information parameters page, input to expected SHA-256. */
    @Test
    void metaPublishedExamples() {
        assertThat(MatchKeys.metaEmail("John_Smith@gmail.com"))
                .contains("62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f");
        assertThat(MatchKeys.metaPhone("+1 (650) 555-1212"))
                .contains("e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176");
        assertThat(MatchKeys.metaName("Mary"))
                .contains("6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec");
        assertThat(MatchKeys.metaName("정"))
                .contains("8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14");
        assertThat(MatchKeys.metaName("Valéry"))
                .contains("08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c");
        assertThat(MatchKeys.metaName("Vale\u0301ry")) // the same name with a combining accent
                .contains("08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c");
        assertThat(MatchKeys.metaCountry("United States"))
                .contains("79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621");
    }

    @Test
    void anAlreadyHashedValuePassesThroughUnchangedForEveryKey() {
        String hash = sha("jane@example.com");
        List<Function<String, Optional<String>>> keys = List.of(MatchKeys::metaEmail, MatchKeys::metaPhone,
                MatchKeys::metaName, MatchKeys::metaCity, MatchKeys::metaState, s -> MatchKeys.metaZip(s, "us"),
                MatchKeys::metaCountry, MatchKeys::metaExternalId, MatchKeys::googleEmail, MatchKeys::googlePhone,
                MatchKeys::tiktokEmail, MatchKeys::tiktokPhone, MatchKeys::tiktokExternalId);
        for (var key : keys) {
            assertThat(key.apply(hash)).contains(hash);
            assertThat(key.apply(" " + hash.toUpperCase() + " ")).contains(hash);
        }
    }

    @ParameterizedTest
    @CsvSource({"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad, true",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD, false",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a, false",
            "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad, false", "'', false"})
    void isSha256(String value, boolean hashed) {
        assertThat(MatchKeys.isSha256(value)).isEqualTo(hashed);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "not an email", "a@b"})
    void nothingUsableGivesNoHash(String raw) {
        assertThat(MatchKeys.metaEmail(raw)).isEmpty();
        assertThat(MatchKeys.googleEmail(raw)).isEmpty();
        assertThat(MatchKeys.tiktokEmail(raw)).isEmpty();
        assertThat(MatchKeys.metaCountry(raw)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "16505551212          | 16505551212",
            "+1 (650) 555-1212    | 16505551212",
            "0044 20 7946 0958    | 442079460958",
            "390669820000         | 390669820000",
            "12345                | ",
    })
    void metaPhoneIsDigitsWithCountryCodeWithoutLeadingZeros(String raw, String normal) {
        assertThat(MatchKeys.metaPhoneNormalized(raw)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "  Mary     | mary", "O'Brien | obrien", "Jean-Luc | jeanluc", "Dr. Smith | dr smith",
            "Valéry | valéry", "ÉMILIE | émilie",
    })
    void metaNamesAreLowerCaseWithoutPunctuation(String raw, String normal) {
        assertThat(MatchKeys.metaNameNormalized(raw)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "Menlo Park | menlopark", "New York | newyork", "Washington, D.C. | washingtondc",
            "San José | sanjosé", "Stanley Park 1234 | stanleypark",
    })
    void metaCitiesAreLowerCaseLettersOnly(String raw, String normal) {
        assertThat(MatchKeys.metaCityNormalized(raw)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "CA | ca", "California | ca", "new york | ny", "Washington, D.C. | dc", "az | az",
            "Bavaria | bavaria", "Île-de-France | îledefrance",
    })
    void metaStatesAreUsCodesOrSqueezedNames(String raw, String normal) {
        assertThat(MatchKeys.metaStateNormalized(raw)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" in {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "94035       | US            | 94035",
            "94035-1234  | us            | 94035",
            "94035 1234  | United States | 94035",
            "940351234   |               | 94035",
            "94035-1234  |               | 94035",
            "M1 1AE      | GB            | m11ae",
            "SW1A 1AA    |               | sw1a1aa",
            "75018       | FR            | 75018",
            "1987        | AU            | 1987",
            "K1A-0B1     | CA            | k1a0b1",
            "123         | US            | ",
    })
    void metaZipCodes(String raw, String country, String normal) {
        assertThat(MatchKeys.metaZipNormalized(raw, country)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "US | us", "us | us", " us  | us", "USA | us", "United States | us",
            "United States of America | us", "Germany | de", "DEU | de", "United Kingdom | gb", "UK | gb",
            "Narnia | ",
    })
    void countriesBecomeLowerCaseAlpha2(String raw, String code) {
        assertThat(MatchKeys.countryCode(raw)).isEqualTo(code);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            " Jane.Doe@Gmail.com           | janedoe@gmail.com",
            "jane.doe+newsletter@gmail.com | janedoe@gmail.com",
            "j.a.n.e@googlemail.com        | jane@googlemail.com",
            "jane.doe+news@example.com     | jane.doe+news@example.com",
            "Jane.Doe@GMAIL.COM.au         | jane.doe@gmail.com.au",
            "+tag@gmail.com                | ",
    })
    void googleEmailDropsDotsAndSuffixOnlyForGmail(String raw, String normal) {
        assertThat(MatchKeys.googleEmailNormalized(raw)).isEqualTo(normal);
    }

    @Test
    void googleEmailHashIsOfTheGmailNormalForm() {
        assertThat(MatchKeys.googleEmail("Jane.Doe+shop@gmail.com")).contains(sha("janedoe@gmail.com"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "16505551212        | +16505551212",
            "+1 650-555-1212    | +16505551212",
            "442079460958       | +442079460958",
            "0044 20 7946 0958  | +442079460958",
            "12345              | ",
            "1234567890123456   | ",
    })
    void googleAndTikTokPhonesAreE164WithPlus(String raw, String normal) {
        assertThat(MatchKeys.e164(raw)).isEqualTo(normal);
    }

    @Test
    void tiktokHashesTrimmedLowerCaseEmailAndE164Phone() {
        assertThat(MatchKeys.tiktokEmail(" Jane.Doe@Example.COM ")).contains(sha("jane.doe@example.com"));
        assertThat(MatchKeys.tiktokPhone("16505551212")).contains(sha("+16505551212"));
        assertThat(MatchKeys.tiktokExternalId(" prf_1 ")).contains(sha("prf_1"));
    }

    @Test
    void metaDoesNotApplyTheGmailRule() {
        assertThat(MatchKeys.metaEmail("Jane.Doe+shop@gmail.com")).contains(sha("jane.doe+shop@gmail.com"));
    }

    @Test
    void metaExternalIdIsHashedAsGiven() {
        assertThat(MatchKeys.metaExternalId("prf_ABC")).contains(sha("prf_ABC"));
    }
}
