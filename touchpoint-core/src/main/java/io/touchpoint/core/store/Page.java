package io.touchpoint.core.store;

import java.util.List;

/** One page of results and the cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
}
