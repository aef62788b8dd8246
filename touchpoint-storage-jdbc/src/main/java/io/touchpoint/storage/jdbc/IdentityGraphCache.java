package io.touchpoint.storage.jdbc;

import io.touchpoint.core.identity.IdentityGraph;
import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The processor's copy of the parts of the identity graph it has used, kept across batches, so that a batch reads
 * from the database only what earlier batches did not bring in. A batch {@link #load}s the closure its events can
 * touch (every link of their identifiers, the whole merge cluster of every profile found, all links of those
 * profiles) with a few set-based reads, resolves against it with no round trip, and {@link #write}s what changed
 * in JDBC batches. Results equal resolving event by event against the tables (the ordering of
 * {@link IdentityGraph#recentProfile} is the SQL one: last seen, then the newer profile).
 *
 * <p>What is held is exact, never a guess: a profile is held with its whole cluster and every link of every member,
 * and an identifier is "complete" when every profile linked to it is held. Both stay true as batches apply their
 * results here. The copy is only valid for the database state it was built from: the owner {@link #clear}s it when
 * a batch fails and when anyone else changed the graph (unmerge, erasure, another node's processor; see
 * {@link JdbcIdentityStage}). Past {@code maxLinks} held links, the clusters used longest ago are dropped whole and
 * the identifiers they were linked to stop being complete. A {@link LinkKeyFilter} of every identifier linked in the
 * database spares the read for one seen for the first time, which is complete at once with no link.
 */
final class IdentityGraphCache {
    /** Bind parameters per IN list: below SQLite's and PostgreSQL's limits, large enough to be few statements. */
    private static final int IN_CHUNK = 500;

    private record Key(String ws, IdentifierType type, String value) {
    }

    /** Wire names by type and back: {@link IdentifierType#wireName()} lower-cases on every call. */
    private static final String[] WIRE = new String[IdentifierType.values().length];
    private static final Map<String, IdentifierType> BY_WIRE = new HashMap<>();

    static {
        for (IdentifierType t : IdentifierType.values()) {
            WIRE[t.ordinal()] = t.wireName();
            BY_WIRE.put(t.wireName(), t);
        }
    }

    private static String wire(IdentifierType t) {
        return WIRE[t.ordinal()];
    }

    private static final class Prof {
        final String id;
        final String ws;
        final long createdSeq;
        final long createdAt;
        boolean fresh;
        String mergedInto;
        String canonical;
        boolean dirty;
        final List<Link> own = new ArrayList<>(4);
        /** Only on canonical profiles: every profile whose canonical_id is this one, itself included. */
        List<Prof> members;
        /** Only on canonical profiles: the last batch that used this cluster, for eviction. */
        long usedInBatch;

        Prof(String id, String ws, long createdSeq, long createdAt, String mergedInto, String canonical, boolean fresh) {
            this.id = id;
            this.ws = ws;
            this.createdSeq = createdSeq;
            this.createdAt = createdAt;
            this.mergedInto = mergedInto;
            this.canonical = canonical;
            this.fresh = fresh;
        }
    }

    private static final class Link {
        final Key key;
        final Prof profile;
        // rule, eventId and firstSeen only until a new link is written: nothing rewrites them
        String rule;
        String eventId;
        long firstSeen;
        long lastSeen;
        boolean fresh;
        boolean dirty;

        Link(Key key, Prof profile, String rule, String eventId, long firstSeen, long lastSeen, boolean fresh) {
            this.key = key;
            this.profile = profile;
            this.rule = rule;
            this.eventId = eventId;
            this.firstSeen = firstSeen;
            this.lastSeen = lastSeen;
            this.fresh = fresh;
        }
    }

    private record MergeRow(String ws, String survivor, String absorbed, Identifier via, String rule, String outcome,
                            String eventId, long at) {
    }

    private record EventRow(String eventId, String ws, long seq, String profileId) {
    }

    private final int maxLinks;
    private final String refreshLinkSql;
    /** Two and three links of one profile to one time: one statement finds the profile's links once. */
    private final String refreshTwoLinksSql;
    private final String refreshThreeLinksSql;
    private final JdbcDatabase db;
    /** The database's statement for many last-seen times at once, if it has one. */
    private final BulkLastSeen bulkLastSeen;
    private final Map<String, Prof> profiles = new HashMap<>();
    private final Map<Key, List<Link>> links = new HashMap<>();
    /** Identifiers every linked profile of which is held (an identifier with no link at all included). */
    private final Set<Key> complete = new HashSet<>();
    private int heldLinks;
    private long batch;

    // what the current batch changed, written by write()
    private final List<Prof> changedProfiles = new ArrayList<>();
    private final List<Link> changedLinks = new ArrayList<>();
    private final List<MergeRow> mergeLog = new ArrayList<>();
    private final List<EventRow> eventRows = new ArrayList<>();

    /** The database state this copy is of: the identity cursor and graph version it was last read or written at. */
    private long cursor = -1;
    private long graphVersion = -1;

    /**
     * Every identifier with a link in the database, or more; null while not known. Kept across {@link #clear}
     * (a batch rolled back, an unmerge or erasure elsewhere leave it a superset) but dropped when the cursor moved
     * under this processor: another node's processor may have linked identifiers it has not seen.
     */
    private LinkKeyFilter filter;
    /** The cursor as this processor last saw or left it; another value at the next read means another node's batch. */
    private long ownCursor = -1;
    /** Batches read since another node's batch was last seen: the filter is rebuilt only after a few. */
    private int batchesWithoutOthers;
    private boolean filterBuilt;
    /** Rebuilding the filter reads every link; beside another node's processor it would be stale at once. */
    static final int FILTER_AFTER_BATCHES = 10;

    IdentityGraphCache(int maxLinks, JdbcDatabase db) {
        this.maxLinks = maxLinks;
        // by the primary key (profile first): the identifier index would find the row, then the key find it again
        this.refreshLinkSql = "UPDATE identity_links SET last_seen_at = ? WHERE " + db.notIndexed("workspace_id")
                + " = ? AND type = ? AND value = ? AND profile_id = ?";
        this.refreshTwoLinksSql = refreshLinksSql(db, 2);
        this.refreshThreeLinksSql = refreshLinksSql(db, 3);
        this.db = db;
        this.bulkLastSeen = db instanceof BulkLastSeen b ? b : null;
    }

    private static String refreshLinksSql(JdbcDatabase db, int links) {
        return "UPDATE identity_links SET last_seen_at = ? WHERE profile_id = ? AND " + db.notIndexed("workspace_id") + " = ? AND ("
                + String.join(" OR ", Collections.nCopies(links, "(type = ? AND value = ?)")) + ")";
    }

    /** Whether this copy was built at this cursor and graph version; if not, it must be cleared before use. */
    boolean isAt(long cursor, long graphVersion) {
        return this.cursor == cursor && this.graphVersion == graphVersion;
    }

    /** Forgets everything held and the state it was of. */
    void clear() {
        forgetGraph();
        discardChanges();
        cursor = -1;
        graphVersion = -1;
    }

    /** A read-only view of one workspace for the resolver. */
    IdentityGraph view(String ws) {
        return new IdentityGraph() {
            @Override
            public List<String> profilesLinkedTo(Identifier id) {
                List<Link> on = links.get(new Key(ws, id.type(), id.value()));
                if (on == null) return List.of();
                List<String> out = new ArrayList<>(on.size());
                for (Link l : on) if (!out.contains(l.profile.canonical)) out.add(l.profile.canonical);
                return out;
            }

            @Override
            public String recentProfile(Identifier id, Instant since) {
                List<Link> on = links.get(new Key(ws, id.type(), id.value()));
                if (on == null) return null;
                long from = since.toEpochMilli();
                Link best = null;
                for (Link l : on) {
                    if (l.lastSeen < from) continue;
                    if (best == null || l.lastSeen > best.lastSeen
                            || (l.lastSeen == best.lastSeen && l.profile.createdSeq > best.profile.createdSeq)) best = l;
                }
                return best == null ? null : best.profile.canonical;
            }

            @Override
            public long createdSeq(String profileId) {
                Prof p = profiles.get(profileId);
                if (p == null) throw new IllegalStateException("no profile " + profileId);
                return p.createdSeq;
            }

            @Override
            public Set<String> values(String profileId, IdentifierType type) {
                Set<String> out = new HashSet<>();
                Prof p = profiles.get(profileId);
                if (p == null || p.members == null) return out;
                for (Prof m : p.members) for (Link l : m.own) if (l.key.type == type) out.add(l.key.value);
                return out;
            }
        };
    }

    // ---- reading the closure ----

    /** The identifier keys the resolver will ask about for these events ({@link IdentityResolver#linkKey}). */
    private static Set<Key> keysOf(List<IdentityEvent> events) {
        Set<Key> keys = new LinkedHashSet<>();
        for (IdentityEvent e : events) {
            for (Identifier raw : e.identifiers()) {
                Identifier id = IdentityResolver.linkKey(raw, e.ip());
                keys.add(new Key(e.workspaceId(), id.type(), id.value()));
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
        batch++;
        keepFilterAt(c, cursor);
        Set<Key> keys = keysOf(events);
        Set<String> seeds = new HashSet<>();
        Map<String, List<String>> missingByWsType = new LinkedHashMap<>();
        for (Key k : keys) {
            if (complete.contains(k)) continue;
            if (filter != null && !filter.mightContain(k.ws, k.type, k.value)) continue; // linked nowhere: complete as is
            missingByWsType.computeIfAbsent(k.ws + "\u0000" + wire(k.type), x -> new ArrayList<>()).add(k.value);
        }
        for (var e : missingByWsType.entrySet()) {
            String[] wsType = e.getKey().split("\u0000", 2);
            for (List<String> chunk : chunks(e.getValue())) {
                try (PreparedStatement ps = db.linkedProfiles(c, wsType[0], wsType[1], chunk)) {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            if (!profiles.containsKey(id)) seeds.add(id);
                        }
                    }
                }
            }
        }
        if (!seeds.isEmpty()) loadClusters(c, seeds);
        for (Key k : keys) {
            complete.add(k);
            List<Link> on = links.get(k);
            if (on != null) for (Link l : on) profiles.get(l.profile.canonical).usedInBatch = batch;
        }
    }

    /** Drops the filter if another processor committed since this one last read, and builds it when it may. */
    private void keepFilterAt(Connection c, long cursor) throws SQLException {
        boolean others = ownCursor != -1 && cursor != ownCursor;
        ownCursor = cursor;
        if (others) {
            filter = null;
            batchesWithoutOthers = 0;
            return;
        }
        if (filter != null) return;
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
                IdentifierType type = BY_WIRE.get(rs.getString(2));
                if (type == null) throw new StoreException("unknown identifier type " + rs.getString(2), null);
                f.add(rs.getString(1), type, rs.getString(3));
            }
        }
        filter = f;
        filterBuilt = true;
    }

    /** Reads the whole cluster of each seed profile and all links of the profiles read. */
    private void loadClusters(Connection c, Set<String> seeds) throws SQLException {
        List<Prof> loaded = new ArrayList<>();
        for (List<String> chunk : chunks(new ArrayList<>(seeds))) {
            try (PreparedStatement ps = db.clustersOf(c, chunk)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (profiles.containsKey(id)) continue;
                        Prof p = new Prof(id, rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6), false);
                        profiles.put(id, p);
                        loaded.add(p);
                    }
                }
            }
        }
        for (Prof p : loaded) {
            Prof canonical = profiles.get(p.canonical);
            if (canonical.members == null) canonical.members = new ArrayList<>(2);
            canonical.members.add(p);
        }
        List<String> ids = new ArrayList<>(loaded.size());
        for (Prof p : loaded) ids.add(p.id);
        for (List<String> chunk : chunks(ids)) {
            try (PreparedStatement ps = db.linksOf(c, chunk)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        IdentifierType type = BY_WIRE.get(rs.getString(2));
                        if (type == null) throw new StoreException("unknown identifier type " + rs.getString(2), null);
                        Key key = new Key(rs.getString(1), type, rs.getString(3));
                        Prof p = profiles.get(rs.getString(4));
                        Link l = new Link(key, p, null, null, 0, rs.getLong(5), false);
                        p.own.add(l);
                        links.computeIfAbsent(key, x -> new ArrayList<>(1)).add(l);
                        heldLinks++;
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

    // ---- applying resolutions in memory ----

    private void changed(Prof p) {
        if (p.fresh || p.dirty) return;
        p.dirty = true;
        changedProfiles.add(p);
    }

    private void changed(Link l) {
        if (l.fresh || l.dirty) return;
        l.dirty = true;
        changedLinks.add(l);
    }

    /** Applies one resolution to the held graph and queues the rows it writes. */
    void apply(IdentityEvent e, Resolution r) {
        String ws = e.workspaceId();
        long time = e.eventTime();
        if (r.created()) {
            Prof p = new Prof(r.profileId(), ws, r.seq(), time, null, r.profileId(), true);
            p.members = new ArrayList<>(List.of(p));
            p.usedInBatch = batch;
            profiles.put(p.id, p);
            changedProfiles.add(p);
        }
        for (Resolution.Merge m : r.merges()) {
            Prof survivor = profiles.get(m.survivor());
            Prof absorbed = profiles.get(m.absorbed());
            absorbed.mergedInto = survivor.id;
            changed(absorbed);
            for (Prof member : absorbed.members) {
                member.canonical = survivor.id;
                changed(member);
            }
            survivor.members.addAll(absorbed.members);
            absorbed.members = null;
            mergeLog.add(new MergeRow(ws, m.survivor(), m.absorbed(), m.via(), m.rule(), Profile.MergeRecord.MERGED, e.id(),
                    e.receivedAt()));
        }
        for (Resolution.Skip s : r.skipped()) {
            if (s.otherProfile() == null || Resolution.Skip.TYPE_LIMIT.equals(s.reason())) continue;
            mergeLog.add(new MergeRow(ws, r.profileId(), s.otherProfile(), s.identifier(), s.rule(), s.reason(),
                    e.id(), e.receivedAt()));
        }
        for (Resolution.Link l : r.links()) {
            Key key = new Key(ws, l.identifier().type(), l.identifier().value());
            List<Link> on = links.computeIfAbsent(key, x -> new ArrayList<>(1));
            boolean refreshed = false;
            for (Link existing : on) {
                if (!existing.profile.canonical.equals(l.profileId())) continue;
                refreshed = true;
                if (existing.lastSeen < time) {
                    existing.lastSeen = time;
                    changed(existing);
                }
            }
            if (!refreshed) {
                Prof p = profiles.get(l.profileId());
                Link link = new Link(key, p, l.rule(), e.id(), time, time, true);
                if (filter != null) filter.add(ws, key.type, key.value);
                on.add(link);
                p.own.add(link);
                changedLinks.add(link);
                heldLinks++;
            }
        }
        eventRows.add(new EventRow(e.id(), ws, r.seq(), r.profileId()));
    }

    // ---- writing what changed ----

    private static final Comparator<Link> LINK_KEY_ORDER = Comparator.<Link, String>comparing(l -> l.profile.id)
            .thenComparing(l -> wire(l.key.type)).thenComparing(l -> l.key.value);

    private static boolean sameRefresh(LinkRow a, LinkRow b) {
        return !b.insert() && a.lastSeen() == b.lastSeen() && a.profileId().equals(b.profileId()) && a.ws().equals(b.ws());
    }

    /** Rows a write sends per JDBC batch; between two, a long write checks whether to give way. */
    static final int WRITE_CHUNK = 1000;

    /** A write that stopped for a waiting durable write; its transaction is rolled back and the batch redone. */
    static final class GaveWay extends RuntimeException {
        GaveWay() {
            super("gave way to a durable write", null, false, false);
        }
    }

    /**
     * One statement's rows, sent every {@link #WRITE_CHUNK} and by {@link #finish}; after each send, {@code giveWay}
     * may stop the write.
     */
    private static final class ChunkedRows implements AutoCloseable {
        private final PreparedStatement ps;
        private final BooleanSupplier giveWay;
        private int pending;

        ChunkedRows(Connection c, String sql, BooleanSupplier giveWay) throws SQLException {
            this.ps = c.prepareStatement(sql);
            this.giveWay = giveWay;
        }

        PreparedStatement statement() {
            return ps;
        }

        void add() throws SQLException {
            ps.addBatch();
            if (++pending == WRITE_CHUNK) send();
        }

        private void send() throws SQLException {
            ps.executeBatch();
            pending = 0;
            if (giveWay.getAsBoolean()) throw new GaveWay();
        }

        /** Sends the rows added since the last send. */
        void finish() throws SQLException {
            if (pending > 0) send();
        }

        @Override
        public void close() throws SQLException {
            ps.close();
        }
    }

    private record ProfileRow(boolean insert, String id, String ws, long createdSeq, long createdAt, String mergedInto,
                              String canonical) {
    }

    private record LinkRow(boolean insert, String ws, IdentifierType type, String value, String profileId, String rule,
                           String eventId, long firstSeen, long lastSeen) {
    }

    /**
     * The rows one part of a batch changed, as values: {@link #seal} takes them off the held graph, which the next
     * part may then change again while these are written (by another thread, see {@link JdbcIdentityStage}).
     */
    record PendingRows(List<ProfileRow> profiles, List<LinkRow> links, List<MergeRow> merges, List<EventRow> events) {
    }

    /**
     * Takes what was applied since the last seal as rows to write, and marks the held graph clean: a link or profile
     * the next part changes again is queued again, for a later write. If a write fails, the owner {@link #clear}s.
     */
    PendingRows seal() {
        List<ProfileRow> profileRows = new ArrayList<>(changedProfiles.size());
        for (Prof p : changedProfiles) {
            profileRows.add(new ProfileRow(p.fresh, p.id, p.ws, p.createdSeq, p.createdAt, p.mergedInto, p.canonical));
            p.fresh = false;
            p.dirty = false;
        }
        // in the links table's key order: consecutive rows then mostly share a page SQLite just visited
        changedLinks.sort(LINK_KEY_ORDER);
        List<LinkRow> linkRows = new ArrayList<>(changedLinks.size());
        for (Link l : changedLinks) {
            linkRows.add(new LinkRow(l.fresh, l.key.ws, l.key.type, l.key.value, l.profile.id, l.rule, l.eventId, l.firstSeen,
                    l.lastSeen));
            l.fresh = false;
            l.dirty = false;
            l.rule = null;
            l.eventId = null;
        }
        PendingRows rows = new PendingRows(profileRows, linkRows, new ArrayList<>(mergeLog), new ArrayList<>(eventRows));
        discardChanges();
        return rows;
    }

    /** Seals and writes what was applied since the last seal (see {@link #write(Connection, PendingRows, BooleanSupplier)}). */
    void write(Connection c, BooleanSupplier giveWay) throws SQLException {
        write(c, seal(), giveWay);
    }

    /**
     * Writes sealed rows, a JDBC batch per {@link #WRITE_CHUNK} rows of a statement. Between chunks {@code giveWay}
     * is asked whether to stop: a {@link GaveWay} leaves the transaction for the caller to roll back (the rows
     * already sent are part of it) and this copy for it to clear. Reads nothing of the held graph.
     */
    void write(Connection c, PendingRows rows, BooleanSupplier giveWay) throws SQLException {
        try (ChunkedRows insert = new ChunkedRows(c, "INSERT INTO identity_profiles"
                + " (id, workspace_id, created_seq, created_at, merged_into, canonical_id) VALUES (?, ?, ?, ?, ?, ?)", giveWay);
             ChunkedRows update = new ChunkedRows(c, "UPDATE identity_profiles SET merged_into = ?, canonical_id = ? WHERE id = ?", giveWay)) {
            for (ProfileRow p : rows.profiles()) {
                if (p.insert()) {
                    PreparedStatement ps = insert.statement();
                    ps.setString(1, p.id());
                    ps.setString(2, p.ws());
                    ps.setLong(3, p.createdSeq());
                    ps.setLong(4, p.createdAt());
                    ps.setString(5, p.mergedInto());
                    ps.setString(6, p.canonical());
                    insert.add();
                } else {
                    PreparedStatement ps = update.statement();
                    ps.setString(1, p.mergedInto());
                    ps.setString(2, p.canonical());
                    ps.setString(3, p.id());
                    update.add();
                }
            }
            insert.finish();
            update.finish();
        }
        try (ChunkedRows insert = new ChunkedRows(c, "INSERT INTO identity_links"
                + " (workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", giveWay);
             ChunkedRows one = new ChunkedRows(c, refreshLinkSql, giveWay);
             ChunkedRows two = new ChunkedRows(c, refreshTwoLinksSql, giveWay);
             ChunkedRows three = new ChunkedRows(c, refreshThreeLinksSql, giveWay)) {
            List<LinkRefresh> bulk = bulkLastSeen != null ? new ArrayList<>() : null;
            List<LinkRow> links = rows.links();
            for (int i = 0; i < links.size(); ) {
                LinkRow l = links.get(i);
                if (l.insert()) {
                    PreparedStatement ps = insert.statement();
                    ps.setString(1, l.ws());
                    ps.setString(2, wire(l.type()));
                    ps.setString(3, l.value());
                    ps.setString(4, l.profileId());
                    ps.setString(5, l.rule());
                    ps.setString(6, l.eventId());
                    ps.setLong(7, l.firstSeen());
                    ps.setLong(8, l.lastSeen());
                    insert.add();
                    i++;
                    continue;
                }
                if (bulk != null) {
                    bulk.add(new LinkRefresh(l.ws(), wire(l.type()), l.value(), l.profileId(), l.lastSeen()));
                    i++;
                    continue;
                }
                // the refreshes of one profile's links to one time, up to three per statement
                int n = 1;
                while (n < 3 && i + n < links.size() && sameRefresh(l, links.get(i + n))) n++;
                if (n == 1) {
                    PreparedStatement ps = one.statement();
                    ps.setLong(1, l.lastSeen());
                    ps.setString(2, l.ws());
                    ps.setString(3, wire(l.type()));
                    ps.setString(4, l.value());
                    ps.setString(5, l.profileId());
                    one.add();
                } else {
                    ChunkedRows group = n == 2 ? two : three;
                    PreparedStatement ps = group.statement();
                    ps.setLong(1, l.lastSeen());
                    ps.setString(2, l.profileId());
                    ps.setString(3, l.ws());
                    for (int k = 0; k < n; k++) {
                        ps.setString(4 + 2 * k, wire(links.get(i + k).type()));
                        ps.setString(5 + 2 * k, links.get(i + k).value());
                    }
                    group.add();
                }
                i += n;
            }
            insert.finish();
            one.finish();
            two.finish();
            three.finish();
            if (bulk != null && !bulk.isEmpty()) bulkLastSeen.refreshLastSeen(c, bulk);
        }
        // in the order the merges happened: the log's ids are that order
        try (ChunkedRows merges = new ChunkedRows(c, "INSERT INTO identity_merges (workspace_id, survivor_id, absorbed_id,"
                + " via_type, via_value, rule, outcome, event_id, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", giveWay)) {
            for (MergeRow m : rows.merges()) {
                PreparedStatement ps = merges.statement();
                ps.setString(1, m.ws);
                ps.setString(2, m.survivor);
                ps.setString(3, m.absorbed);
                ps.setString(4, m.via.type().wireName());
                ps.setString(5, m.via.value());
                ps.setString(6, m.rule);
                ps.setString(7, m.outcome);
                ps.setString(8, m.eventId);
                ps.setLong(9, m.at);
                merges.add();
            }
            merges.finish();
        }
        try (ChunkedRows events = new ChunkedRows(c, "INSERT INTO identity_event_profiles (event_id, workspace_id, seq, profile_id) VALUES (?, ?, ?, ?)",
                giveWay)) {
            for (EventRow r : rows.events()) {
                PreparedStatement ps = events.statement();
                ps.setString(1, r.eventId);
                ps.setString(2, r.ws);
                ps.setLong(3, r.seq);
                ps.setString(4, r.profileId);
                events.add();
            }
            events.finish();
        }
    }

    /**
     * After the batch's transaction committed: what was written is now what the database holds, at this cursor and
     * graph version. Drops the clusters used longest ago if more than {@code maxLinks} links are held.
     */
    void committed(long cursor, long graphVersion) {
        discardChanges(); // all sealed and written by now
        this.cursor = cursor;
        this.graphVersion = graphVersion;
        this.ownCursor = cursor;
        if (maxLinks == 0) forgetGraph(); // keeping nothing: no order to sort out
        else if (heldLinks > maxLinks) evict();
    }

    /** Forgets one cluster; the identifiers it was linked to are no longer complete. */
    private void drop(Prof canonical) {
        for (Prof m : canonical.members) {
            for (Link l : m.own) {
                List<Link> on = links.get(l.key);
                on.remove(l);
                if (on.isEmpty()) links.remove(l.key);
                complete.remove(l.key);
                heldLinks--;
            }
            profiles.remove(m.id);
        }
    }

    private void forgetGraph() {
        profiles.clear();
        links.clear();
        complete.clear();
        heldLinks = 0;
    }

    private void discardChanges() {
        changedProfiles.clear();
        changedLinks.clear();
        mergeLog.clear();
        eventRows.clear();
    }

    /** Drops whole clusters, least recently used first, until three quarters of {@code maxLinks} are held. */
    private void evict() {
        List<Prof> clusters = new ArrayList<>();
        for (Prof p : profiles.values()) if (p.members != null) clusters.add(p);
        clusters.sort((a, b) -> Long.compare(a.usedInBatch, b.usedInBatch));
        long target = maxLinks * 3L / 4;
        for (int i = 0; i < clusters.size() && heldLinks > target; i++) drop(clusters.get(i));
        // identifiers known to have no link (blocked values, say) hold nothing worth keeping past this point
        if (complete.size() > maxLinks) complete.removeIf(k -> !links.containsKey(k));
    }
}
