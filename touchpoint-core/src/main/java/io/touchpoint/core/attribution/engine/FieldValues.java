package io.touchpoint.core.attribution.engine;

/** What a store hands the report engine for one numeric {@code custom_data} field: its value per conversion. */
public interface FieldValues {
    /** A conversion (its canonical profile, time and event name) that carries the field as this number. */
    void value(String canonicalProfile, long convertedAt, String eventName, double value);
}
