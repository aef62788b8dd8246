package io.touchpoint.core.destinations;

import io.touchpoint.core.ingest.FieldError;

import java.util.List;

/** A destination's settings break one or more rules; each names its field. */
public final class InvalidDestinationException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidDestinationException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid destination" : errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
