package io.touchpoint.core.normalize;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (registered in META-INF/services): records every name looked up, so
 * tests can prove that nothing was, and answers none. Core does no I/O, so no core test needs DNS.
 */
public final class RecordingResolverProvider extends InetAddressResolverProvider {
    /** Looked up by a test to prove that this resolver is the one in use. */
    static final String PROBE_HOST = "touchpoint-resolver-probe.invalid";
    static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.add(host);
                throw new UnknownHostException(host + " (core tests resolve no names)");
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                throw new UnknownHostException("core tests resolve no addresses");
            }
        };
    }

    @Override
    public String name() {
        return "touchpoint-test-recording-resolver";
    }
}
