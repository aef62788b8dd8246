package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.engine.RowOrder;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.attribution.paths.ConversionPath;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.storage.jdbc.ledger.ProfilePaths;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a workspace's journeys for the data-driven models at one grouping. Millions of touchpoints make this the
 * cost of a Markov / Shapley run, so it reads no touchpoint rows: one pass over attribution_profile_paths (a
 * compact text of each profile's touchpoints, see {@link ProfilePaths}) and one over the covering day index of
 * attribution_conversions, no sort in the database and no per-touchpoint objects. Profiles and groups become
 * small ints, entries land in primitive arrays, and the journeys are assembled per canonical profile after a
 * counting sort. Memory is about 30 bytes per touchpoint and 20 per conversion of the range.
 */
final class JourneyReader {
    private static final int FETCH = 10_000;

    private JourneyReader() {
    }

    static void read(Connection c, String ws, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                     Consumer<Journey> sink) throws SQLException {
        load(c, ws, from, to, eventNames, groupBy).emit(sink);
    }

    /** Each conversion's path of groups, as {@link #read} picks it, with its first touchpoint's time, value and currency. */
    static void readPaths(Connection c, String ws, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                          Consumer<ConversionPath> sink) throws SQLException {
        load(c, ws, from, to, eventNames, groupBy).emitPaths(sink);
    }

    private static Loaded load(Connection c, String ws, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy)
            throws SQLException {
        AttributionSettings settings;
        ZoneId zone;
        String currency;
        try (StatementCache st = new StatementCache(c)) {
            settings = AttributionLedger.settingsOn(st, ws);
            String[] w = st.list("SELECT time_zone, currency FROM workspaces WHERE id = ?",
                    rs -> new String[]{rs.getString(1), rs.getString(2)}, ws).stream().findFirst()
                    .orElse(new String[]{"UTC", ""});
            zone = ZoneId.of(w[0]);
            currency = w[1];
        }
        long start = from.atStartOfDay(zone).toInstant().toEpochMilli();
        long end = to.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        long lookback = settings.lookback().toMillis();
        Profiles profiles = new Profiles();
        Groups groups = new Groups(groupBy);
        Groups currencies = new Groups(groupBy);
        RowArrays touches = new RowArrays();
        RowArrays conversions = new RowArrays();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
        // "workspace_id || ''" keeps the planners off the (workspace, canonical id) index: walking it would fetch
        // every row out of storage order, where one sequential scan reads each page once
        try (PreparedStatement sps = c.prepareStatement("SELECT id, " + groupBy.column()
                + " FROM attribution_touch_shapes WHERE workspace_id = ?");
             PreparedStatement pps = c.prepareStatement("SELECT canonical_id, path FROM attribution_profile_paths"
                     + " WHERE workspace_id || '' = ?");
             PreparedStatement cps = c.prepareStatement("SELECT canonical_id, converted_at, value, currency"
                     + " FROM attribution_conversions WHERE workspace_id = ? AND day >= ? AND day <= ?"
                     + (eventNames == null ? "" : " AND event_name IN (" + String.join(", ",
                     java.util.Collections.nCopies(Math.max(1, eventNames.size()), "?")) + ")"))) {
            pps.setFetchSize(FETCH);
            cps.setFetchSize(FETCH);
            int[] groupOfShape = new int[0]; // by shape id: shape ids are small numbers, and this runs per touchpoint
            sps.setString(1, ws);
            try (ResultSet rs = sps.executeQuery()) {
                while (rs.next()) {
                    int shape = Math.toIntExact(rs.getLong(1));
                    if (shape >= groupOfShape.length) groupOfShape = Arrays.copyOf(groupOfShape, Math.max(shape + 1, 2 * groupOfShape.length));
                    groupOfShape[shape] = groups.named(rs.getString(2));
                }
            }
            pps.setString(1, ws);
            long from0 = start - lookback;
            try (ResultSet rs = pps.executeQuery()) {
                while (rs.next()) {
                    long[] path = ProfilePaths.parse(rs.getString(2));
                    int profile = -1;
                    for (int i = 0; i < path.length; i += 3) {
                        if (path[i] < from0 || path[i] >= end) continue;
                        if (profile < 0) profile = profiles.of(rs.getString(1));
                        touches.add(profile, path[i], path[i + 1], groupOfShape[(int) path[i + 2]]);
                    }
                }
            }
            List<Object> cp = new ArrayList<>(List.of(ws, from.toString(), to.toString()));
            if (eventNames != null) cp.addAll(eventNames.isEmpty() ? List.of("") : eventNames);
            Rows.setParams(cps, cp.toArray());
            try (ResultSet rs = cps.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(3);
                    if (rs.wasNull()) v = Double.NaN;
                    String cur = rs.getString(4);
                    // the value's bits (NaN: none) and its currency as a small int
                    conversions.add(profiles.of(rs.getString(1)), rs.getLong(2), Double.doubleToRawLongBits(v),
                            currencies.named(cur == null ? "" : cur));
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return new Loaded(profiles.size(), touches, conversions, groups, currencies, currencies.named(currency), start, lookback);
    }

    /** What {@link #load} read: touchpoints and conversions as rows, with their groups and currencies as small ints. */
    private record Loaded(int profileCount, RowArrays touches, RowArrays conversions, Groups groups, Groups currencies,
                          int workspaceCurrency, long start, long lookback) {

        /** The conversion's value as journeys count it: in the workspace's currency, else 0. */
        private double countedValue(int conv) {
            double v = Double.longBitsToDouble(conversions.id[conv]);
            return Double.isNaN(v) || conversions.group[conv] != workspaceCurrency ? 0 : v;
        }

        /**
         * Per profile, each conversion with the range of its touchpoints in the profile's order: those that began in
         * [conversion − lookback, conversion], as {@link ConversionCredits#path} picks them. Returns the time of the
         * profile's last conversion (Long.MIN_VALUE: none).
         */
        private long conversionsOf(int p, int[] tOrder, int[] cOrder, PathSink sink) {
            int t0 = touches.firstOfProfile[p];
            int t1 = touches.firstOfProfile[p + 1];
            long lastConversion = Long.MIN_VALUE;
            int lo = t0;
            int hi = t0;
            for (int ci = conversions.firstOfProfile[p]; ci < conversions.firstOfProfile[p + 1]; ci++) {
                int conv = cOrder[ci];
                long at = conversions.time[conv];
                while (lo < t1 && touches.time[tOrder[lo]] < at - lookback) lo++;
                if (hi < lo) hi = lo;
                while (hi < t1 && touches.time[tOrder[hi]] <= at) hi++;
                sink.accept(conv, lo, hi);
                lastConversion = at;
            }
            return lastConversion;
        }

        /** A conversion and its touchpoints: positions [lo, hi) of the profile's order. */
        private interface PathSink {
            void accept(int conversion, int lo, int hi);
        }

        private void emitPaths(Consumer<ConversionPath> sink) {
            int[] tOrder = touches.byProfile(profileCount);
            int[] cOrder = conversions.byProfile(profileCount);
            for (int p = 0; p < profileCount; p++) {
                conversionsOf(p, tOrder, cOrder, (conv, lo, hi) -> {
                    String[] path = new String[hi - lo];
                    for (int i = lo; i < hi; i++) path[i - lo] = groups.name(touches.group[tOrder[i]]);
                    double v = Double.longBitsToDouble(conversions.id[conv]);
                    long at = conversions.time[conv];
                    sink.accept(new ConversionPath(Arrays.asList(path), hi > lo ? touches.time[tOrder[lo]] : at, at,
                            Double.isNaN(v) ? null : v, currencies.name(conversions.group[conv])));
                });
            }
        }

        /**
         * Per profile: a converting journey per conversion (its touchpoints that began in [conversion − lookback,
         * conversion], as {@link ConversionCredits#path} picks them, or the Direct stand-in), then the touchpoints from
         * the range's start after its last conversion as a journey that did not convert.
         */
        private void emit(Consumer<Journey> sink) {
            int[] tOrder = touches.byProfile(profileCount);
            int[] tFirst = touches.firstOfProfile;
            int[] cOrder = conversions.byProfile(profileCount);
            String direct = groups.name(groups.direct());
            String[][] buffer = {new String[16]};
            for (int p = 0; p < profileCount; p++) {
                int t0 = tFirst[p];
                int t1 = tFirst[p + 1];
                long lastConversion = conversionsOf(p, tOrder, cOrder, (conv, lo, hi) -> {
                    double value = countedValue(conv);
                    if (hi == lo) {
                        sink.accept(new Journey(List.of(direct), 1, value));
                    } else {
                        if (buffer[0].length < hi - lo) buffer[0] = new String[Integer.highestOneBit(hi - lo) * 2];
                        for (int i = lo; i < hi; i++) buffer[0][i - lo] = groups.name(touches.group[tOrder[i]]);
                        sink.accept(new Journey(Arrays.asList(buffer[0]).subList(0, hi - lo), 1, value));
                    }
                });
                String[] states = buffer[0];
                int n = 0;
                for (int i = t0; i < t1; i++) {
                    int t = tOrder[i];
                    if (touches.time[t] < start || touches.time[t] <= lastConversion) continue;
                    if (states.length <= n) states = Arrays.copyOf(states, states.length * 2);
                    states[n++] = groups.name(touches.group[t]);
                }
                if (n > 0) sink.accept(new Journey(Arrays.asList(states).subList(0, n), 0, 0));
                buffer[0] = states;
            }
        }
    }

    /** Canonical profile ids as dense ints, in order of first sight. */
    private static final class Profiles {
        private final Map<String, Integer> ids = new HashMap<>();

        int of(String canonicalId) {
            Integer id = ids.get(canonicalId);
            if (id == null) {
                id = ids.size();
                ids.put(canonicalId, id);
            }
            return id;
        }

        int size() {
            return ids.size();
        }
    }

    /** Group names as dense ints. */
    private static final class Groups {
        private final GroupBy groupBy;
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> names = new ArrayList<>();

        Groups(GroupBy groupBy) {
            this.groupBy = groupBy;
        }

        int direct() {
            return named(groupBy.of(ConversionCredits.directStandIn(Instant.EPOCH).touchpoint()));
        }

        int named(String name) {
            return ids.computeIfAbsent(name, k -> {
                names.add(k);
                return names.size() - 1;
            });
        }

        String name(int id) {
            return names.get(id);
        }
    }

    /**
     * Rows as parallel primitive arrays (profile, time, id or a value's bits, group), and their order by profile,
     * then time, then id.
     */
    private static final class RowArrays {
        int size;
        int[] profile = new int[1 << 12];
        long[] time = new long[1 << 12];
        long[] id = new long[1 << 12];
        int[] group = new int[1 << 12];
        int[] firstOfProfile;

        void add(int p, long t, long i, int g) {
            if (size == profile.length) {
                int n = size * 2;
                profile = Arrays.copyOf(profile, n);
                time = Arrays.copyOf(time, n);
                id = Arrays.copyOf(id, n);
                group = Arrays.copyOf(group, n);
            }
            profile[size] = p;
            time[size] = t;
            id[size] = i;
            group[size] = g;
            size++;
        }

        /** Row indexes grouped by profile (a counting sort), each profile's rows by time then id; sets {@link #firstOfProfile}. */
        int[] byProfile(int profiles) {
            int[] first = new int[profiles + 1];
            for (int r = 0; r < size; r++) first[profile[r] + 1]++;
            for (int p = 0; p < profiles; p++) first[p + 1] += first[p];
            int[] next = Arrays.copyOf(first, profiles);
            int[] order = new int[size];
            for (int r = 0; r < size; r++) order[next[profile[r]]++] = r;
            for (int p = 0; p < profiles; p++) RowOrder.byTimeThenId(order, first[p], first[p + 1], time, id);
            firstOfProfile = first;
            return order;
        }
    }
}
