package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.Source;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One of a profile's events as enrichment reads it: when and by which door it came, its identifiers of the
 * {@link Enrichment#SIGNALS} types in their order, and the browser context. A store can read just these from an
 * event's stored body instead of the whole event.
 */
public record ProfileEvent(String id, Instant eventTime, Source source, List<Identifier> signals, String ip,
                           String userAgent, String pageUrl) {
    public ProfileEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(source, "source");
        signals = List.copyOf(signals);
    }

    /** What enrichment reads of {@code e}. */
    public static ProfileEvent of(Event e) {
        List<Identifier> signals = new ArrayList<>();
        for (Identifier i : e.identifiers()) {
            if (Enrichment.SIGNALS.contains(i.type())) signals.add(i);
        }
        return new ProfileEvent(e.id(), e.eventTime(), e.source(), signals, e.context().ip(), e.context().userAgent(),
                e.context().pageUrl());
    }
}
