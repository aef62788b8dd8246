package io.touchpoint.bench.load;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The servers a load client sends to: one base URL, or several separated by commas, taken in turn request by request
 * as a round-robin load balancer would (several Touchpoint nodes in Kafka mode).
 */
public final class BaseUrls {
    private final List<String> urls;
    private final AtomicLong next = new AtomicLong();

    BaseUrls(String commaSeparated) {
        this.urls = Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
        if (urls.isEmpty()) throw new IllegalArgumentException("no base URL in '" + commaSeparated + "'");
    }

    /** The next server's base URL followed by {@code path}. */
    String resolve(String path) {
        return urls.get((int) Math.floorMod(next.getAndIncrement(), (long) urls.size())) + path;
    }
}
