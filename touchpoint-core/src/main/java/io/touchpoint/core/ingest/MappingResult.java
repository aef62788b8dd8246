package io.touchpoint.core.ingest;

import io.touchpoint.core.model.Event;

import java.util.List;

/** What a dialect mapper made of a payload: a canonical event, or the rules it broke. */
public sealed interface MappingResult {
    List<String> warnings();

    record Accepted(Event event, List<String> warnings) implements MappingResult {
    }

    /** {@code eventName} and {@code email} are what could be read, for the events log; null otherwise. */
    record Rejected(List<FieldError> errors, List<String> warnings, String eventName, String email)
            implements MappingResult {
    }
}
