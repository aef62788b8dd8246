package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.Visits;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.touchpoint.EventTouch;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.storage.jdbc.ledger.Conversion;
import io.touchpoint.storage.jdbc.ledger.CreditRows;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.ProfilePaths;
import io.touchpoint.storage.jdbc.ledger.RollupDeltas;
import io.touchpoint.storage.jdbc.ledger.StoredTouchRows;
import io.touchpoint.storage.jdbc.ledger.WorkspaceTerms;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One batch of the processor's attribution stage, on its write transaction: merges made and undone since the last
 * batch mark their profiles for recomputation; each resolved event becomes a touchpoint (or continues the visit in
 * progress) and, when its name is a conversion, a conversion; finally every profile whose path may have changed
 * has its conversions' credits recomputed, and the rollup that reports read is adjusted by the difference.
 */
final class AttributionBatch {
    private static final String TOUCH_COLUMNS = "id, started_at, last_seen_at, click_id, " + StoredTouchRows.COLUMNS;
    private static final String TOUCH_SELECT = "SELECT " + TOUCH_COLUMNS + " FROM attribution_touchpoints";
    private final StatementCache st;
    private final ProfileReads reads;
    private final WorkspaceTerms terms;
    /** Profiles whose path or membership changed: every one of their conversions is recomputed. */
    private final Set<ProfileReads.Key> dirty = new LinkedHashSet<>();
    /**
     * New conversions of profiles whose path did not change: only those are computed (a conversion's credits depend
     * on the path before it, not on the profile's other conversions).
     */
    private final Map<ProfileReads.Key, Set<String>> newConversions = new LinkedHashMap<>();
    /** Conversions this batch stored and has not credited yet: they have no credit rows to read or delete. */
    private final Set<String> uncredited = new HashSet<>();
    /** Conversion rows not written yet: {@link #writeConversions} sends them together. */
    private final List<Object[]> pendingConversions = new ArrayList<>();
    /** Profiles a merge or unmerge touched: only their rows can carry a canonical id that is no longer current. */
    private final Set<ProfileReads.Key> repoint = new LinkedHashSet<>();
    private final RollupDeltas rollup = new RollupDeltas();
    private final Map<List<String>, Long> shapes = new HashMap<>();

    AttributionBatch(JdbcDatabase db, StatementCache st) {
        this.st = st;
        this.reads = new ProfileReads(db, st.connection());
        this.terms = new WorkspaceTerms(st);
    }

    /**
     * The events a batch follows: without Kafka every event behind the global cursor; in Kafka mode those stored
     * without a partition behind the global cursor, or those of one partition behind its own position.
     */
    record Track(boolean byPartition, Integer partition) {
        static final Track EVERY = new Track(false, null);
        static final Track UNPARTITIONED = new Track(true, null);

        static Track of(Integer partition) {
            return partition == null ? UNPARTITIONED : new Track(true, partition);
        }
    }

    /** A batch; with {@code onlySeq} at 0 or more, of that one event alone (a set-aside event retried), the cursor left. */
    static int run(JdbcDatabase db, Connection c, int limit, long onlySeq, Track track) throws SQLException {
        try (StatementCache st = new StatementCache(c)) {
            return new AttributionBatch(db, st).batch(limit, onlySeq, track);
        }
    }

    /**
     * Every step takes the stage's row lock first, whatever its track: steps (of any process) and erasure take turns,
     * so merges are applied once, by whichever step comes next, and the rollup's upserts add up without waiting on
     * each other in a cycle.
     */
    private int batch(int limit, long onlySeq, Track track) throws SQLException {
        AttributionLedger.lockStage(st.connection());
        long[] cursor = st.list("SELECT seq, merge_id, undo_seq FROM attribution_cursor WHERE id = 1",
                rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
        Long position = track.partition() == null ? Long.valueOf(cursor[0]) : partitionPosition(track.partition());
        if (position == null) return 0; // a partition nothing was stored from yet
        // not reached yet: the stage's own batch takes it in order
        if (onlySeq >= 0 && onlySeq > reachedFor(onlySeq, track, cursor[0])) return 0;
        int handled = 0;
        long mergeId = cursor[1];
        for (String[] m : GraphReads.mergesAfter(st, cursor[1])) {
            mergeId = Math.max(mergeId, Long.parseLong(m[0]));
            markDirty(m[1], m[2]);
            handled++;
        }
        long undoSeq = cursor[2];
        for (String[] m : GraphReads.undoneAfter(st, cursor[2])) {
            undoSeq = Math.max(undoSeq, Long.parseLong(m[0]));
            markDirty(m[1], m[2]);
            markDirty(m[1], m[3]);
            handled++;
        }

        Long identity = track.byPartition() ? GraphReads.identityPosition(st, track.partition()) : null;
        long resolvedUpTo = track.byPartition() ? (identity == null ? position : identity) : GraphReads.identityCursor(st);
        List<GraphReads.Resolved> events;
        if (onlySeq >= 0) events = GraphReads.resolved(st, onlySeq - 1, onlySeq, limit);
        else if (track.byPartition()) events = GraphReads.resolvedOn(st, track.partition(), position, resolvedUpTo, limit);
        else events = GraphReads.resolved(st, position, resolvedUpTo, limit);
        for (GraphReads.Resolved r : events) handle(r);
        handled += events.size();
        // fewer rows than asked for: every resolved event up to the identity cursor is read (erased ones have no row)
        long seq = onlySeq >= 0 ? position
                : events.size() == limit ? events.get(events.size() - 1).seq() : Math.max(position, resolvedUpTo);

        // what follows reads the stored conversions: those queued by the events, then by a settings change, go first
        writeConversions();
        // a settings change is brought in by the steps of the global cursor (of the events without a partition)
        if (track.partition() == null) handled += rebuildAfterSettingsChange(seq, track.byPartition());
        writeConversions();
        recomputeDirty();
        rollup.write(st);
        long global = track.partition() == null ? seq : cursor[0];
        st.update("UPDATE attribution_cursor SET seq = ?, merge_id = ?, undo_seq = ? WHERE id = 1", global, mergeId, undoSeq);
        if (track.partition() != null) {
            st.update("UPDATE stage_partition_cursors SET seq = ? WHERE stage = 'attribution' AND log_partition = ?", seq,
                    track.partition());
        } else if (!track.byPartition() && onlySeq < 0) {
            // without Kafka the global cursor follows every event, those of a partition too (a store that ran in Kafka
            // mode before), so their partitions' positions follow it
            st.update("UPDATE stage_partition_cursors SET seq = ? WHERE stage = 'attribution' AND seq < ?", seq, seq);
        }
        return onlySeq >= 0 ? events.size() : handled;
    }

    private Long partitionPosition(int partition) throws SQLException {
        List<Long> seq = st.list("SELECT seq FROM stage_partition_cursors WHERE stage = 'attribution' AND log_partition = ?",
                rs -> rs.getLong(1), partition);
        return seq.isEmpty() ? null : seq.get(0);
    }

    /** The position an event retried on its own must be behind: its partition's in Kafka mode, else the global cursor. */
    private long reachedFor(long onlySeq, Track track, long global) throws SQLException {
        if (!track.byPartition()) return global;
        List<Integer> partition = st.list("SELECT log_partition FROM events WHERE seq = ? AND log_partition IS NOT NULL",
                rs -> rs.getInt(1), onlySeq);
        if (partition.isEmpty()) return global;
        Long position = partitionPosition(partition.get(0));
        return position == null ? -1 : position;
    }

    /**
     * After a workspace's settings change, its existing conversions are brought under the new settings a chunk of
     * profiles per batch: events that are conversions now and were not become ones, conversions that no longer
     * qualify are taken out with their credits, and every profile of the chunk has its credits recomputed. Only
     * events up to {@code processedUpTo} (in Kafka mode, a partition's up to the stage's position in it) are looked
     * at; later ones arrive through the normal path.
     */
    private int rebuildAfterSettingsChange(long processedUpTo, boolean byPartition) throws SQLException {
        List<String[]> pending = st.list("SELECT workspace_id, rebuild_after FROM attribution_settings WHERE rebuild_after IS NOT NULL",
                rs -> new String[]{rs.getString(1), rs.getString(2)});
        int handled = 0;
        for (String[] p : pending) {
            String ws = p[0];
            List<String> chunk = GraphReads.canonicalIdsAfter(st, ws, p[1], REBUILD_CHUNK);
            for (String canonical : chunk) rebuildConversions(ws, canonical, processedUpTo, byPartition);
            String next = chunk.size() < REBUILD_CHUNK ? null : chunk.get(chunk.size() - 1);
            st.update("UPDATE attribution_settings SET rebuild_after = ? WHERE workspace_id = ?", next, ws);
            handled += Math.max(1, chunk.size());
        }
        return handled;
    }

    private static final int REBUILD_CHUNK = 200;

    private void rebuildConversions(String ws, String canonical, long processedUpTo, boolean byPartition) throws SQLException {
        AttributionSettings s = terms.settings(ws);
        Set<String> stored = new HashSet<>(st.list("SELECT event_id FROM attribution_conversions WHERE workspace_id = ?"
                + " AND canonical_id = ?", rs -> rs.getString(1), ws, canonical));
        List<GraphReads.Resolved> events = byPartition ? GraphReads.attributedOf(st, canonical, processedUpTo)
                : GraphReads.resolvedOf(st, canonical, processedUpTo);
        for (GraphReads.Resolved r : events) {
            boolean conversion = s.isConversion(r.event().name());
            if (conversion && !stored.contains(r.event().id())) insertConversion(r);
            if (!conversion && stored.contains(r.event().id())) AttributionLedger.forgetConversion(st, rollup, r.event().id());
        }
        dirty.add(new ProfileReads.Key(ws, canonical));
    }

    private void markDirty(String workspaceId, String profileId) throws SQLException {
        Optional<String> canonical = GraphReads.canonicalOf(st, profileId);
        if (canonical.isEmpty()) return;
        ProfileReads.Key key = new ProfileReads.Key(workspaceId, canonical.get());
        dirty.add(key);
        repoint.add(key);
    }

    private void handle(GraphReads.Resolved r) throws SQLException {
        Event e = r.event();
        String ws = e.workspaceId();
        AttributionSettings s = terms.settings(ws);
        Instant at = e.eventTime();
        Optional<EventTouch> touch = EventTouch.of(e);
        if (touch.isPresent()) {
            List<StoredTouch> latest = st.list(TOUCH_SELECT + " WHERE workspace_id = ? AND canonical_id = ?"
                    + " ORDER BY last_seen_at DESC, id DESC LIMIT 1", StoredTouchRows::stored, ws, r.canonicalId());
            StoredTouch last = latest.isEmpty() ? null : latest.get(0);
            if (Visits.continues(last, at, touch.get(), s.visitTimeout())) {
                if (at.isAfter(last.lastSeen())) {
                    st.update("UPDATE attribution_touchpoints SET last_seen_at = ? WHERE id = ?", at.toEpochMilli(), last.id());
                }
            } else {
                List<Object> params = new ArrayList<>(List.of(ws, e.id(), r.profileId(), r.canonicalId(), at.toEpochMilli(),
                        at.toEpochMilli()));
                params.add(touch.get().touchpoint().clickId());
                params.addAll(Arrays.asList(StoredTouchRows.values(touch.get().touchpoint())));
                long id = st.list("INSERT INTO attribution_touchpoints (workspace_id, event_id, profile_id, canonical_id, started_at,"
                        + " last_seen_at, click_id, " + StoredTouchRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, " + StoredTouchRows.MARKS + ")"
                        + " RETURNING id", rs -> rs.getLong(1), params.toArray()).get(0);
                ProfilePaths.add(st, ws, r.profileId(), r.canonicalId(), at.toEpochMilli(), id,
                        ProfilePaths.shape(st, shapes, ws, touch.get().touchpoint()));
                rollup.changed(ws, terms.day(ws, at.toEpochMilli()));
                // a late touchpoint may belong to conversions already credited
                if (!st.list("SELECT 1 FROM attribution_conversions WHERE workspace_id = ? AND canonical_id = ? AND converted_at >= ?"
                        + " LIMIT 1", rs -> 1, ws, r.canonicalId(), at.toEpochMilli()).isEmpty()) {
                    dirty.add(new ProfileReads.Key(ws, r.canonicalId()));
                }
            }
        }
        if (s.isConversion(e.name())) insertConversion(r);
    }

    /**
     * Queues the event's conversion row. Until {@link #writeConversions} it is not in the table: a late touchpoint
     * in the same batch does not see it, which is right, as a conversion new in the batch is credited from every
     * touchpoint the batch stored anyway.
     */
    private void insertConversion(GraphReads.Resolved r) throws SQLException {
        Event e = r.event();
        String ws = e.workspaceId();
        Double value = e.commerce().value() == null ? null : e.commerce().value().doubleValue();
        String currency = value == null || e.commerce().currency() == null ? "" : e.commerce().currency();
        String day = terms.day(ws, e.eventTime().toEpochMilli());
        pendingConversions.add(new Object[]{e.id(), ws, r.profileId(), r.canonicalId(), e.eventTime().toEpochMilli(), day,
                e.name(), value, currency});
        newConversions.computeIfAbsent(new ProfileReads.Key(ws, r.canonicalId()), k -> new HashSet<>()).add(e.id());
    }

    /** Rows per statement of {@link #writeConversions}: 9 parameters each, below both databases' limits. */
    private static final int CONVERSIONS_PER_INSERT = 500;

    /** Writes the queued conversions, a statement per 500, and notes which were new (not stored before). */
    private void writeConversions() throws SQLException {
        for (int i = 0; i < pendingConversions.size(); i += CONVERSIONS_PER_INSERT) {
            List<Object[]> chunk = pendingConversions.subList(i, Math.min(pendingConversions.size(), i + CONVERSIONS_PER_INSERT));
            List<Object> params = new ArrayList<>(chunk.size() * 9);
            for (Object[] row : chunk) params.addAll(Arrays.asList(row));
            String rows = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
            uncredited.addAll(st.list("INSERT INTO attribution_conversions (event_id, workspace_id, profile_id, canonical_id,"
                    + " converted_at, day, event_name, value, currency) VALUES " + rows + " ON CONFLICT (event_id) DO NOTHING"
                    + " RETURNING event_id", rs -> rs.getString(1), params.toArray()));
        }
        pendingConversions.clear();
    }

    private void recomputeDirty() throws SQLException {
        // first bring the rows of profiles that merges moved under today's canonical id, then recompute
        for (ProfileReads.Key p : repoint) {
            for (String table : List.of("attribution_touchpoints", "attribution_conversions", "attribution_profile_paths")) {
                st.update("UPDATE " + table + " SET canonical_id = ? WHERE profile_id IN"
                        + " (SELECT id FROM identity_profiles WHERE canonical_id = ?) AND canonical_id <> ?",
                        p.canonicalId(), p.canonicalId(), p.canonicalId());
                st.update("UPDATE " + table + " SET canonical_id = COALESCE((SELECT ip.canonical_id FROM identity_profiles ip"
                        + " WHERE ip.id = " + table + ".profile_id), canonical_id) WHERE workspace_id = ? AND canonical_id = ?",
                        p.workspaceId(), p.canonicalId());
            }
        }
        // every conversion of a dirty profile, only the new ones of the others; read for all profiles at once (nothing
        // recomputed below changes another profile's conversions or touchpoints)
        List<ProfileReads.Key> keys = new ArrayList<>(dirty);
        for (ProfileReads.Key p : newConversions.keySet()) if (!dirty.contains(p)) keys.add(p);
        Map<ProfileReads.Key, List<Conversion>> stored = reads.of(keys, "attribution_conversions", Conversion.COLUMNS, Map.of(),
                Conversion::read);
        // the journeys of the data-driven models follow profiles: a merge or unmerge changes those of every day its
        // profiles have a touchpoint or a conversion on (a profile a merge touched is dirty: its conversions are read)
        markDaysOf(new ArrayList<>(repoint), stored);
        Map<ProfileReads.Key, List<Conversion>> toCredit = new LinkedHashMap<>();
        Map<ProfileReads.Key, long[]> windows = new HashMap<>();
        for (ProfileReads.Key p : keys) {
            Set<String> only = dirty.contains(p) ? null : newConversions.get(p);
            List<Conversion> conversions = stored.getOrDefault(p, List.of());
            if (only != null) conversions = conversions.stream().filter(conv -> only.contains(conv.eventId())).toList();
            if (conversions.isEmpty()) continue;
            toCredit.put(p, conversions);
            windows.put(p, ProfileReads.window(terms.settings(p.workspaceId()), conversions));
        }
        Map<ProfileReads.Key, List<StoredTouch>> touches = reads.of(new ArrayList<>(toCredit.keySet()), "attribution_touchpoints",
                TOUCH_COLUMNS, windows, StoredTouchRows::stored);
        for (Map.Entry<ProfileReads.Key, List<Conversion>> p : toCredit.entrySet()) {
            credit(p.getKey(), p.getValue(), touches.getOrDefault(p.getKey(), List.of()));
        }
        dirty.clear();
        newConversions.clear();
        repoint.clear();
        uncredited.clear();
    }

    /** Notes every day on which these profiles have a touchpoint or a conversion as changed ({@link RollupDeltas#changed}). */
    private void markDaysOf(List<ProfileReads.Key> profiles, Map<ProfileReads.Key, List<Conversion>> conversions) throws SQLException {
        if (profiles.isEmpty()) return;
        Map<ProfileReads.Key, List<Long>> starts = reads.of(profiles, "attribution_touchpoints", "started_at", Map.of(),
                rs -> rs.getLong("started_at"));
        for (Map.Entry<ProfileReads.Key, List<Long>> p : starts.entrySet()) {
            for (long t : p.getValue()) rollup.changed(p.getKey().workspaceId(), terms.day(p.getKey().workspaceId(), t));
        }
        for (ProfileReads.Key p : profiles) {
            for (Conversion c : conversions.getOrDefault(p, List.of())) rollup.changed(p.workspaceId(), c.day());
        }
    }

    /** Recomputes the credits of these conversions of one profile from the touchpoints in their window. */
    private void credit(ProfileReads.Key p, List<Conversion> conversions, List<StoredTouch> touches) throws SQLException {
        AttributionSettings s = terms.settings(p.workspaceId());
        for (Conversion conv : conversions) {
            ConversionCredits fresh = ConversionCredits.compute(conv.at(), touches, s);
            boolean none = uncredited.remove(conv.eventId());
            List<CreditRows.Row> old = none ? List.of() : CreditRows.read(st, conv.eventId());
            if (CreditRows.same(old, fresh)) continue;
            for (CreditRows.Row row : old) {
                for (AttributionModel m : AttributionModel.RULE_BASED) rollup.add(conv, row.touchpoint(), m, row.credit(m), -1);
            }
            for (int i = 0; i < fresh.path().size(); i++) {
                for (AttributionModel m : AttributionModel.RULE_BASED) {
                    rollup.add(conv, fresh.path().get(i).touchpoint(), m, fresh.credits().get(m)[i], 1);
                }
            }
            if (none) CreditRows.insert(st, conv.eventId(), fresh);
            else CreditRows.replace(st, conv.eventId(), fresh);
        }
    }
}
