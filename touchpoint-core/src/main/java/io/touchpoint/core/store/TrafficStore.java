package io.touchpoint.core.store;

import io.touchpoint.core.traffic.TrafficReport;

import java.time.LocalDate;

/**
 * The traffic overview's rollup (docs/TRAFFIC.md), kept by the traffic stage from the page views the identity stage
 * resolved.
 */
public interface TrafficStore {
    /** The overview of the workspace's days {@code from}..{@code to}, with at most {@code limit} pages and sources. */
    TrafficReport report(String workspaceId, LocalDate from, LocalDate to, int limit);

    /**
     * Events the traffic stage has not read yet, and those the identity stage set aside behind its cursor, which it
     * counts when a retry resolves them.
     */
    long eventsNotCounted();
}
