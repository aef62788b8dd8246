package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads into the {@link HeldGraph} the closure a batch's events can touch: every link of their identifiers, the whole
 * merge cluster of every profile found, all links of those profiles, with a few set-based reads, skipping what the
 * graph already holds. A {@link LinkKeyFilter} of every identifier linked in the database spares the read for one
 * seen for the first time, which is complete at once with no link.
 */
final class ClosureReader {
    /** Bind parameters per IN list: below SQLite's and PostgreSQL's limits, large enough to be few statements. */
    private static final int IN_CHUNK = 500;
    /** Rebuilding the filter reads every link; beside another node's identity stage it would be stale at once. */
    static final int FILTER_AFTER_BATCHES = 10;
    private final JdbcDatabase db;
    private final HeldGraph graph;
    /** Batches read since another node's batch was last seen: the filter is rebuilt only after a few. */
    private int batchesWithoutOthers;
    private boolean filterBuilt;
    /** False in Kafka mode: other processes' identity steps link identifiers all the time, and a filter would be stale. */
    private final boolean filtered;

    ClosureReader(JdbcDatabase db, HeldGraph graph, boolean filtered) {
        this.db = db;
        this.graph = graph;
        this.filtered = filtered;
    }

    /** The identifier keys the resolver will ask about for these events ({@link IdentityResolver#linkKey}). */
    private static Set<HeldGraph.Key> keysOf(List<IdentityEvent> events) {
        Set<HeldGraph.Key> keys = new LinkedHashSet<>();
        for (IdentityEvent e : events) {
            for (Identifier raw : e.identifiers()) {
                Identifier id = IdentityResolver.linkKey(raw, e.ip());
                keys.add(new HeldGraph.Key(e.workspaceId(), id.type(), id.value()));
            }
        }
        return keys;
    }

    /**
     * Makes every identifier of these events complete: reads the links of those not complete yet (but none for an
     * identifier the filter rules out), the whole cluster of every profile found that is not held, and all those
     * profiles' links. Marks the clusters the batch uses. {@code cursor} is the identity cursor read with them.
     */
    void load(Connection c, List<IdentityEvent> events, long cursor) throws SQLException {
        graph.batch++;
        keepFilterAt(c, cursor);
        Set<HeldGraph.Key> keys = keysOf(events);
        Set<String> seeds = new HashSet<>();
        Map<String, List<String>> missingByWsType = new LinkedHashMap<>();
        for (HeldGraph.Key k : keys) {
            if (graph.complete.contains(k)) continue;
            if (graph.filter != null && !graph.filter.mightContain(k.ws(), k.type(), k.value())) continue; // linked nowhere: complete as is
            missingByWsType.computeIfAbsent(k.ws() + "\u0000" + HeldGraph.wire(k.type()), x -> new ArrayList<>()).add(k.value());
        }
        for (var e : missingByWsType.entrySet()) {
            String[] wsType = e.getKey().split("\u0000", 2);
            for (List<String> chunk : chunks(e.getValue())) {
                try (PreparedStatement ps = db.dialect().linkedProfiles(c, wsType[0], wsType[1], chunk)) {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            if (!graph.profiles.containsKey(id)) seeds.add(id);
                        }
                    }
                }
            }
        }
        if (!seeds.isEmpty()) loadClusters(c, seeds);
        for (HeldGraph.Key k : keys) {
            graph.complete.add(k);
            List<HeldGraph.Link> on = graph.links.get(k);
            if (on != null) for (HeldGraph.Link l : on) graph.profiles.get(l.profile.canonical).usedInBatch = graph.batch;
        }
    }

    /** Drops the filter if another identity stage committed since this one last read, and builds it when it may. */
    private void keepFilterAt(Connection c, long cursor) throws SQLException {
        if (!filtered) return;
        boolean others = graph.ownCursor != -1 && cursor != graph.ownCursor;
        graph.ownCursor = cursor;
        if (others) {
            graph.filter = null;
            batchesWithoutOthers = 0;
            return;
        }
        if (graph.filter != null) return;
        if (filterBuilt && ++batchesWithoutOthers < FILTER_AFTER_BATCHES) return;
        int count;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM identity_links"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            count = rs.getInt(1);
        }
        LinkKeyFilter f = new LinkKeyFilter(2 * count);
        try (PreparedStatement ps = c.prepareStatement("SELECT workspace_id, type, value FROM identity_links");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                IdentifierType type = HeldGraph.BY_WIRE.get(rs.getString(2));
                if (type == null) throw new StoreException("unknown identifier type " + rs.getString(2), null);
                f.add(rs.getString(1), type, rs.getString(3));
            }
        }
        graph.filter = f;
        filterBuilt = true;
    }

    /** Reads the whole cluster of each seed profile and all links of the profiles read. */
    private void loadClusters(Connection c, Set<String> seeds) throws SQLException {
        List<HeldGraph.Prof> loaded = new ArrayList<>();
        for (List<String> chunk : chunks(new ArrayList<>(seeds))) {
            try (PreparedStatement ps = db.dialect().clustersOf(c, chunk)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (graph.profiles.containsKey(id)) continue;
                        HeldGraph.Prof p = new HeldGraph.Prof(id, rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6), false);
                        graph.profiles.put(id, p);
                        loaded.add(p);
                    }
                }
            }
        }
        for (HeldGraph.Prof p : loaded) {
            HeldGraph.Prof canonical = graph.profiles.get(p.canonical);
            if (canonical.members == null) canonical.members = new ArrayList<>(2);
            canonical.members.add(p);
        }
        List<String> ids = new ArrayList<>(loaded.size());
        for (HeldGraph.Prof p : loaded) ids.add(p.id);
        for (List<String> chunk : chunks(ids)) {
            try (PreparedStatement ps = db.dialect().linksOf(c, chunk)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        IdentifierType type = HeldGraph.BY_WIRE.get(rs.getString(2));
                        if (type == null) throw new StoreException("unknown identifier type " + rs.getString(2), null);
                        HeldGraph.Key key = new HeldGraph.Key(rs.getString(1), type, rs.getString(3));
                        HeldGraph.Prof p = graph.profiles.get(rs.getString(4));
                        HeldGraph.Link l = new HeldGraph.Link(key, p, null, null, 0, rs.getLong(5), false);
                        p.own.add(l);
                        graph.links.computeIfAbsent(key, x -> new ArrayList<>(1)).add(l);
                        graph.heldLinks++;
                    }
                }
            }
        }
    }

    private static List<List<String>> chunks(List<String> all) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        return out;
    }
}
