package io.touchpoint.server.support;

import java.time.Clock;
import java.util.Map;

/**
 * A {@link ServerTest} whose server trusts loopback as a proxy and runs on a clock the test moves: tests speak for other
 * client addresses (through {@code X-Forwarded-For} and {@code X-Forwarded-Proto}) and step past time windows, as
 * throttles, sign-in limits and expiries need.
 */
public abstract class ProxiedClientsTest extends ServerTest {
    protected final MovableClock clock = new MovableClock();

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32");
    }
}
