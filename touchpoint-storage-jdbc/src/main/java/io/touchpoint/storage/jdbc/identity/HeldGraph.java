package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.identity.IdentityGraph;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity stage's copy of the parts of the identity graph it has used, kept across batches, so that a batch reads
 * from the database only what earlier batches did not bring in ({@link ClosureReader}), resolves against it with no
 * round trip ({@link #view}, {@link #apply}), and hands what changed to the {@link GraphRowWriter} ({@link #seal}).
 * Results equal resolving event by event against the tables (the ordering of {@link IdentityGraph#recentProfile} is
 * the SQL one: last seen, then the newer profile).
 *
 * <p>What is held is exact, never a guess: a profile is held with its whole cluster and every link of every member,
 * and an identifier is "complete" when every profile linked to it is held. Both stay true as batches apply their
 * results here. The copy is only valid for the database state it was built from: the owner {@link #clear}s it when
 * a batch fails and when anyone else changed the graph (unmerge, erasure, another node's identity stage; see
 * {@link JdbcIdentityStage}). Past {@code maxLinks} held links, the clusters used longest ago are dropped whole and
 * the identifiers they were linked to stop being complete.
 */
final class HeldGraph {
    record Key(String ws, IdentifierType type, String value) {
    }

    /** Wire names by type and back: {@link IdentifierType#wireName()} lower-cases on every call. */
    private static final String[] WIRE = new String[IdentifierType.values().length];
    static final Map<String, IdentifierType> BY_WIRE = new HashMap<>();

    static {
        for (IdentifierType t : IdentifierType.values()) {
            WIRE[t.ordinal()] = t.wireName();
            BY_WIRE.put(t.wireName(), t);
        }
    }

    static String wire(IdentifierType t) {
        return WIRE[t.ordinal()];
    }

    static final class Prof {
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

    static final class Link {
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

    private final int maxLinks;
    final Map<String, Prof> profiles = new HashMap<>();
    final Map<Key, List<Link>> links = new HashMap<>();
    /** Identifiers every linked profile of which is held (an identifier with no link at all included). */
    final Set<Key> complete = new HashSet<>();
    int heldLinks;
    long batch;

    // what the current batch changed, written by write()
    private final List<Prof> changedProfiles = new ArrayList<>();
    private final List<Link> changedLinks = new ArrayList<>();
    private final List<GraphRowWriter.MergeRow> mergeLog = new ArrayList<>();
    private final List<GraphRowWriter.EventRow> eventRows = new ArrayList<>();

    /** The database state this copy is of: the identity cursor and graph version it was last read or written at. */
    private long cursor = -1;
    private long graphVersion = -1;

    /**
     * Every identifier with a link in the database, or more; null while not known. Kept across {@link #clear}
     * (a batch rolled back, an unmerge or erasure elsewhere leave it a superset) but dropped when the cursor moved
     * under this identity stage: another node's identity stage may have linked identifiers it has not seen.
     */
    LinkKeyFilter filter;
    /** The cursor as this identity stage last saw or left it; another value at the next read means another node's batch. */
    long ownCursor = -1;
    HeldGraph(int maxLinks) {
        this.maxLinks = maxLinks;
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
            mergeLog.add(new GraphRowWriter.MergeRow(ws, m.survivor(), m.absorbed(), m.via(), m.rule(), Profile.MergeRecord.MERGED, e.id(),
                    e.receivedAt()));
        }
        for (Resolution.Skip s : r.skipped()) {
            if (s.otherProfile() == null || Resolution.Skip.TYPE_LIMIT.equals(s.reason())) continue;
            mergeLog.add(new GraphRowWriter.MergeRow(ws, r.profileId(), s.otherProfile(), s.identifier(), s.rule(), s.reason(),
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
        eventRows.add(new GraphRowWriter.EventRow(e.id(), ws, r.seq(), r.profileId()));
    }

    private static final Comparator<Link> LINK_KEY_ORDER = Comparator.<Link, String>comparing(l -> l.profile.id)
            .thenComparing(l -> wire(l.key.type)).thenComparing(l -> l.key.value);

    /**
     * Takes what was applied since the last seal as rows to write, and marks the held graph clean: a link or profile
     * the next part changes again is queued again, for a later write. If a write fails, the owner {@link #clear}s.
     */
    GraphRowWriter.PendingRows seal() {
        List<GraphRowWriter.ProfileRow> profileRows = new ArrayList<>(changedProfiles.size());
        for (Prof p : changedProfiles) {
            profileRows.add(new GraphRowWriter.ProfileRow(p.fresh, p.id, p.ws, p.createdSeq, p.createdAt, p.mergedInto, p.canonical));
            p.fresh = false;
            p.dirty = false;
        }
        // in the links table's key order: consecutive rows then mostly share a page SQLite just visited
        changedLinks.sort(LINK_KEY_ORDER);
        List<GraphRowWriter.LinkRow> linkRows = new ArrayList<>(changedLinks.size());
        for (Link l : changedLinks) {
            linkRows.add(new GraphRowWriter.LinkRow(l.fresh, l.key.ws, l.key.type, l.key.value, l.profile.id, l.rule, l.eventId, l.firstSeen,
                    l.lastSeen));
            l.fresh = false;
            l.dirty = false;
            l.rule = null;
            l.eventId = null;
        }
        GraphRowWriter.PendingRows rows = new GraphRowWriter.PendingRows(profileRows, linkRows, new ArrayList<>(mergeLog), new ArrayList<>(eventRows));
        discardChanges();
        return rows;
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
