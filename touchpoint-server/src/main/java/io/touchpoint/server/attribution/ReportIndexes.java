package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.engine.IndexBuilder;
import io.touchpoint.core.attribution.engine.ReportIndex;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report engine's index of each workspace asked for, kept current: read whole the first time, then, before each
 * report, brought forward by the days whose data changed since the data version it was read at (read from the store's
 * change stamps, so it follows writes made by another process on the same database too). At most {@code capacity}
 * workspaces are held; the one asked for least recently is dropped first, and read whole again if asked for later.
 */
final class ReportIndexes {
    /** Workspaces whose index is held; a million conversions with five million touchpoints take about 250 MB. */
    static final int DEFAULT_CAPACITY = 4;

    private final AttributionStore store;
    private final int capacity;
    private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, true);

    ReportIndexes(AttributionStore store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** The workspace's index as of now: one reader per workspace brings it forward, the others wait for it. */
    ReportIndex current(Workspace ws) {
        Held h;
        synchronized (held) {
            h = held.computeIfAbsent(ws.id(), id -> new Held());
            while (held.size() > capacity) held.remove(held.keySet().iterator().next());
        }
        return h.current(ws);
    }

    private final class Held {
        private ReportIndex index;
        private long version;

        synchronized ReportIndex current(Workspace ws) {
            ZoneId zone = ZoneId.of(ws.settings().timeZone());
            // a workspace moved to another time zone has its days numbered anew: read it whole
            boolean whole = index == null || !index.zone().equals(zone);
            IndexBuilder[] builder = new IndexBuilder[1];
            long read = store.reportRows(ws.id(), whole ? -1 : version, days -> builder[0] =
                    days == null ? IndexBuilder.fresh(zone) : IndexBuilder.rebuild(index, days));
            if (builder[0] != null) index = builder[0].build();
            version = read;
            return index;
        }
    }
}
