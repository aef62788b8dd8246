package io.touchpoint.server.sso;

import io.touchpoint.core.auth.Secrets;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * States of flows this process has finished, until their cookie would have expired anyway: a callback sent twice
 * (a reload, a copied address with its cookie) is refused here at once. Across processes the provider's rule that a
 * code is redeemed once does the same. Only hashes are kept, and at most {@link #MAX} of them.
 */
final class SpentFlows {
    static final int MAX = 100_000;
    private final Map<String, Instant> byStateHash = new ConcurrentHashMap<>();

    /** Marks the flow spent; false when it already was. */
    boolean spend(SsoFlow flow, Instant now) {
        if (byStateHash.size() >= MAX) byStateHash.values().removeIf(expires -> !now.isBefore(expires));
        if (byStateHash.size() >= MAX) byStateHash.clear(); // a flood of sign-ins: the provider's one-time codes remain
        return byStateHash.putIfAbsent(Secrets.sha256Hex(flow.state()), flow.expiresAt()) == null;
    }
}
