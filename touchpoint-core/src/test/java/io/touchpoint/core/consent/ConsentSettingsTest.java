package io.touchpoint.core.consent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.touchpoint.core.consent.ConsentState.DENIED;
import static io.touchpoint.core.consent.ConsentState.GRANTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A workspace's default filling what nobody chose, by region, and where processing is restricted. */
class ConsentSettingsTest {
    private static final ConsentSettings BY_REGION = new ConsentSettings(ConsentSettings.DefaultMode.BY_REGION,
            ConsentSettings.EEA_UK_CH, List.of("US-CA", "US-CO"));

    @ParameterizedTest(name = "{0} in {1} → {2}")
    @CsvSource({
            "granted,   DE,    granted",
            "denied,    US,    denied",
            "by_region, DE,    denied",
            "by_region, GB,    denied",
            "by_region, CH,    denied",
            "by_region, US,    granted",
            "by_region, US-CA, granted",
            "by_region, ,      denied", // unknown: the stricter choice
    })
    void theDefaultFillsEverySignalNobodyChose(String mode, String region, String expected) {
        ConsentSettings s = new ConsentSettings(ConsentSettings.DefaultMode.fromWireName(mode).orElseThrow(),
                ConsentSettings.EEA_UK_CH, List.of());
        Consent c = s.resolve(Consent.UNKNOWN, region);
        ConsentState want = ConsentState.fromWireName(expected);
        for (String signal : Consent.SIGNALS) assertThat(c.state(signal)).as(signal).isEqualTo(want);
        assertThat(c.defaulted()).isTrue();
        assertThat(c.region()).isEqualTo(region);
        assertThat(s.defaultFor(region)).isEqualTo(want);
    }

    @Test
    void whatWasChosenWinsAndTheSendersRegionWinsOverTheEdges() {
        Consent chosen = Consent.of(Map.of(Consent.AD_USER_DATA, GRANTED, Consent.ANALYTICS_STORAGE, GRANTED));
        Consent c = BY_REGION.resolve(chosen, "FR");
        assertThat(c.adUserData()).isEqualTo(GRANTED);
        assertThat(c.analyticsStorage()).isEqualTo(GRANTED);
        assertThat(c.adStorage()).isEqualTo(DENIED);
        assertThat(c.adPersonalization()).isEqualTo(DENIED);
        assertThat(c.defaulted()).isTrue();

        Consent all = Consent.of(Map.of(Consent.AD_STORAGE, DENIED, Consent.ANALYTICS_STORAGE, GRANTED,
                Consent.AD_USER_DATA, GRANTED, Consent.AD_PERSONALIZATION, DENIED)).withRegion("US");
        Consent resolved = BY_REGION.resolve(all, "DE");
        assertThat(resolved.defaulted()).isFalse();
        assertThat(resolved.region()).isEqualTo("US");
        assertThat(resolved.adStorage()).isEqualTo(DENIED);
    }

    @ParameterizedTest(name = "{0} → limited data use {1}")
    @CsvSource({"US-CA, true", "US-CO, true", "US-NY, false", "US, false", "DE, false", ", true"})
    void limitedDataUseWhereTheWorkspaceRestrictsItAndWhereTheRegionIsUnknown(String region, boolean limited) {
        assertThat(BY_REGION.resolve(Consent.UNKNOWN, region).limitedDataUse()).isEqualTo(limited);
        assertThat(ConsentSettings.DEFAULTS.resolve(Consent.UNKNOWN, region).limitedDataUse()).isFalse();
    }

    @Test
    void aCountryCoversItsSubdivisionsAndRegionsAreNormalised() {
        ConsentSettings s = new ConsentSettings(ConsentSettings.DefaultMode.BY_REGION, List.of(" us ", "US", "es"),
                List.of());
        assertThat(s.deniedRegions()).containsExactly("US", "ES");
        assertThat(s.defaultFor("us-tx")).isEqualTo(DENIED);
        assertThat(s.defaultFor("USA")).as("no region code: unknown").isEqualTo(DENIED);
        assertThat(s.defaultFor("FR")).isEqualTo(GRANTED);
        assertThatThrownBy(() -> ConsentSettings.regions(List.of("Germany")))
                .hasMessageContaining("'Germany' is not a region");
    }
}
