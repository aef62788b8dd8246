package io.touchpoint.core.normalize;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IP literals, IPv6 in its RFC 5952 text form, and never a DNS lookup. */
class IpAddressesTest {

    @BeforeEach
    void forgetLookups() {
        RecordingResolverProvider.LOOKUPS.clear();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "1.2.3.4                                 | 1.2.3.4",
            "123.123.123.123                         | 123.123.123.123",
            "' 10.0.0.1 '                            | 10.0.0.1",
            "0.0.0.0                                 | 0.0.0.0",
            "255.255.255.255                         | 255.255.255.255",
            "2001:DB8::1                             | 2001:db8::1",
            "::1                                     | ::1",
            "::                                      | ::",
            "1::                                     | 1::",
            "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
            "2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1",
            "1:0:0:0:0:0:0:2                         | 1::2",
            "1:0:2:3:4:5:6:7                         | 1:0:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8                         | 1:2:3:4:5:6:7:8",
            "FE80::ABCD:0:0:1                        | fe80::abcd:0:0:1",
            "::ffff:1.2.3.4                          | 1.2.3.4",
    })
    void acceptsIpv4AndIpv6Literals(String raw, String expected) {
        assertThat(IpAddresses.normalize(raw)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "1.2.3.4:80", "1.2.3.4/24",
            "1::2::3", "12345::1", "::g", "1:2:3:4:5:6:7:8:9", "[::1]", "fe80::1%eth0", ":::", "", "  "})
    void rejectsWhatIsNoIpLiteral(String raw) {
        assertThat(IpAddresses.normalize(raw)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"example.com", "localhost", "abc", "beef", "dead.beef", "abc:def", "a.b:c",
            ".:1", ".1:2", "..::", ".::1"})
    void rejectsHostnamesWithoutAnyLookup(String raw) {
        assertThat(IpAddresses.normalize(raw)).isEmpty();
        assertThat(RecordingResolverProvider.LOOKUPS).as("names sent to the resolver").isEmpty();
    }

    @Test
    void theRecordingResolverIsInstalled() {
        // without this, rejectsHostnamesWithoutAnyLookup would pass vacuously
        assertThatThrownBy(() -> InetAddress.getByName(RecordingResolverProvider.PROBE_HOST))
                .isInstanceOf(UnknownHostException.class);
        assertThat(RecordingResolverProvider.LOOKUPS).containsExactly(RecordingResolverProvider.PROBE_HOST);
    }

    @Test
    void nullIsNoAddress() {
        assertThat(IpAddresses.normalize(null)).isEmpty();
    }
}
