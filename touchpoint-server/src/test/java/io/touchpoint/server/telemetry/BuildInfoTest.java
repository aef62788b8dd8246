package io.touchpoint.server.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the program says about itself when the build left a value out. */
class BuildInfoTest {
    @Test
    void aValueTheBuildDidNotFillInIsUnknown() {
        assertThat(BuildInfo.clean("${touchpoint.commit}")).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(BuildInfo.clean(null)).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(BuildInfo.clean(" ")).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(BuildInfo.clean("0.2.0\n")).isEqualTo("0.2.0");
    }

    @Test
    void describesItselfForPeopleAndForHttp() {
        BuildInfo b = new BuildInfo("1.2.3", "0123456789ab");
        assertThat(b.describe()).isEqualTo("1.2.3 (commit 0123456789ab)");
        assertThat(b.userAgent()).isEqualTo("Touchpoint/1.2.3");
    }
}
