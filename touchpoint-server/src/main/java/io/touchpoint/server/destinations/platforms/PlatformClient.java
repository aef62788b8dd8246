package io.touchpoint.server.destinations.platforms;

import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.OutboxEntry;

import java.util.List;
import java.util.Map;

/** Sends outbox entries to one kind of platform, speaking its API; never throws for what the platform answers. */
public interface PlatformClient {
    /**
     * Sends the entries (at most as many as the type allows in one request, or a few such requests) and answers one
     * result per entry, in any order.
     */
    List<SendResult> send(Destination d, Map<String, String> secrets, List<OutboxEntry> entries);

    /**
     * Sends one made-up event to the platform's test mode (Meta's and TikTok's test event code, Google's validate
     * only, GA4's validation server, a signed webhook ping) and answers what the platform said.
     */
    SendResult test(Destination d, Map<String, String> secrets, OutboxEntry sample);
}
