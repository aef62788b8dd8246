package io.touchpoint.core.attribution;

import io.touchpoint.core.touchpoint.Channel;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * A touchpoint as stored for a profile: {@code time} is when the visit began, {@code lastSeen} its latest page
 * view. {@code id} orders touchpoints that share a time; 0 marks the Direct stand-in of a conversion that has no
 * touchpoint in its window.
 */
public record StoredTouch(long id, Instant time, Instant lastSeen, Touchpoint touchpoint) {
    public StoredTouch {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(touchpoint, "touchpoint");
        if (lastSeen == null || lastSeen.isBefore(time)) lastSeen = time;
    }

    public boolean direct() {
        return touchpoint.channel() == Channel.DIRECT;
    }
}
