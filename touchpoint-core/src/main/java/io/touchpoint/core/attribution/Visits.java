package io.touchpoint.core.attribution;

import io.touchpoint.core.touchpoint.EventTouch;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When an event continues the visit in progress instead of starting a touchpoint ("repeated page views of
 * one visit are one touchpoint"). As in GA4, a visit ends after a spell without page views (the workspace's visit
 * timeout) or when the visitor comes back through a different campaign; a signal equal to the visit's own (a
 * reload of the landing page) continues it.
 */
public final class Visits {
    private Visits() {
    }

    /**
     * @param latest the profile's touchpoint seen most recently, or null
     * @param at     the event's time
     */
    public static boolean continues(StoredTouch latest, Instant at, EventTouch touch, Duration timeout) {
        if (latest == null) return false;
        if (at.isBefore(latest.time())) return false; // a late event older than the visit is its own touchpoint
        if (Duration.between(latest.lastSeen(), at).compareTo(timeout) > 0) return false;
        return !touch.signal() || sameCampaign(latest.touchpoint(), touch.touchpoint());
    }

    static boolean sameCampaign(Touchpoint a, Touchpoint b) {
        return a.channel() == b.channel() && a.platform() == b.platform() && Objects.equals(a.source(), b.source())
                && Objects.equals(a.medium(), b.medium()) && Objects.equals(a.campaign(), b.campaign())
                && Objects.equals(a.term(), b.term()) && Objects.equals(a.content(), b.content())
                && Objects.equals(a.clickId(), b.clickId()) && a.adIds().equals(b.adIds());
    }
}
