package io.touchpoint.core.normalize;

import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformIdsTest {
    @Test
    void theClickIdOfAnFbcCookie() {
        assertThat(PlatformIds.fbclidOfFbc("fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"))
                .isEqualTo("IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk");
        assertThat(PlatformIds.fbclidOfFbc("fb.2.1554763741205.IwAR2.AQYBAQIA")).isEqualTo("IwAR2"); // Meta's appendix
        for (String other : new String[]{"IwAR2", "fb.1.123.", "fb.1.123", "fb.x.123.IwAR", "fb.1.12a.IwAR", "FB.1.1.IwAR",
                "fb..1.IwAR", "", "fb."}) {
            assertThat(PlatformIds.fbclidOfFbc(other)).as(other).isNull();
        }
        assertThat(PlatformIds.fbclidOfFbc(null)).isNull();
    }

    @Test
    void theClientIdOfAGaCookie() {
        assertThat(PlatformIds.gaClientIdOfCookie("GA1.1.777.888")).isEqualTo("777.888");
        assertThat(PlatformIds.gaClientIdOfCookie("GA1.2.1234567890.1700000000")).isEqualTo("1234567890.1700000000");
        for (String other : new String[]{"777.888", "GA1.1.777", "GA1.1.777.888.9", "GA.1.777.888", "GA1.1.abc.888",
                "GA1.1.777.", "ga1.1.777.888", "GS1.1.777.888"}) {
            assertThat(PlatformIds.gaClientIdOfCookie(other)).as(other).isNull();
        }
        assertThat(PlatformIds.isGaClientId("777.888")).isTrue();
        assertThat(PlatformIds.isGaClientId("GA1.1.777.888")).isFalse();
        assertThat(PlatformIds.isGaClientId("777.")).isFalse();
    }

    @Test
    void identifiersAreLinkedUnderOneKeyPerClickOrBrowser() {
        assertThat(key(IdentifierType.FBC, "fb.1.1554763741205.IwAR")).isEqualTo(new Identifier(IdentifierType.FBCLID, "IwAR"));
        assertThat(key(IdentifierType.FBCLID, "fb.1.1554763741205.IwAR")).isEqualTo(new Identifier(IdentifierType.FBCLID, "IwAR"));
        assertThat(key(IdentifierType.FBCLID, "IwAR")).isEqualTo(new Identifier(IdentifierType.FBCLID, "IwAR"));
        assertThat(key(IdentifierType.FBC, "IwAR")).isEqualTo(new Identifier(IdentifierType.FBCLID, "IwAR"));
        assertThat(key(IdentifierType.GA_COOKIE, "GA1.1.777.888")).isEqualTo(new Identifier(IdentifierType.GA_COOKIE, "777.888"));
        assertThat(key(IdentifierType.GA_COOKIE, "777.888")).isEqualTo(new Identifier(IdentifierType.GA_COOKIE, "777.888"));
        assertThat(key(IdentifierType.FBP, "fb.1.1554763741205.123")).isEqualTo(new Identifier(IdentifierType.FBP, "fb.1.1554763741205.123"));
        assertThat(IdentityResolver.linkKey(new Identifier(IdentifierType.FINGERPRINT, "fp"), "10.0.0.1"))
                .isEqualTo(new Identifier(IdentifierType.FINGERPRINT, "fp|10.0.0.1"));
    }

    private static Identifier key(IdentifierType type, String value) {
        return IdentityResolver.linkKey(new Identifier(type, value), null);
    }
}
