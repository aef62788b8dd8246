package io.touchpoint.core.attribution.engine;

import java.time.LocalDate;
import java.util.List;

/**
 * What a store hands the report engine, row by row: the workspace's touch shapes (the group values of a kind of
 * touchpoint, numbered by the store), its touchpoints by canonical profile and its conversions.
 */
public interface ReportRows {
    /** A shape: its store number and its group values in {@link io.touchpoint.core.attribution.GroupBy} order. */
    void shape(long shapeId, List<String> groupValues);

    /** A touchpoint of a profile: when its visit began, its id (orders equal times) and its shape's store number. */
    void touch(String profile, long startedAt, long id, long shapeId);

    /** A conversion: its profile, time, day (workspace's time zone), event name, value (null: none) and currency. */
    void conversion(String profile, long convertedAt, LocalDate day, String eventName, Double value, String currency);
}
