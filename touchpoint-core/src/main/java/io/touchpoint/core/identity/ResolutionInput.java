package io.touchpoint.core.identity;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One committed event as the resolver sees it: its sequence, id, time, identifiers and ip. */
public record ResolutionInput(long seq, String eventId, Instant time, List<Identifier> identifiers, String ip) {
    public ResolutionInput {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        identifiers = List.copyOf(identifiers);
    }

    public static ResolutionInput of(long seq, Event e) {
        return new ResolutionInput(seq, e.id(), e.eventTime(), e.identifiers(), e.context().ip());
    }
}
