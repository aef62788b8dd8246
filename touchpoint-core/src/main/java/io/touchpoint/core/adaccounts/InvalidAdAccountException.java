package io.touchpoint.core.adaccounts;

import io.touchpoint.core.ingest.FieldError;

import java.util.List;

/** An ad account connection breaks one or more rules; each names its field. */
public final class InvalidAdAccountException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidAdAccountException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid ad account" : errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
