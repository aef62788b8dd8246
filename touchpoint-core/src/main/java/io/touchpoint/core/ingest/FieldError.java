package io.touchpoint.core.ingest;

/** One broken rule of an incoming payload: the field ({@code param}), a stable code and a readable message. */
public record FieldError(String param, String code, String message) {
    public static final String MISSING = "missing_field";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String TOO_LONG = "too_long";
    public static final String IDENTITY_REQUIRED = "identity_required";
    /** A text field holds a character no store can hold (U+0000, an unpaired surrogate). */
    public static final String INVALID_CHARACTER = "invalid_character";
}
