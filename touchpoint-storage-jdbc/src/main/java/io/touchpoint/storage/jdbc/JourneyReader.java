package io.touchpoint.storage.jdbc;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.Touchpoint;
import io.touchpoint.core.attribution.report.JourneyRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams a workspace's journeys for the data-driven models: touchpoints and conversions are read in canonical
 * profile order side by side (two cursors, merge-joined), so memory holds one profile at a time whatever the size
 * of the workspace.
 */
final class JourneyReader {
    private static final int FETCH = 5_000;

    private record Conv(String canonical, Instant at, double value) {
    }

    private JourneyReader() {
    }

    static void read(Connection c, String orderKey, String ws, LocalDate from, LocalDate to, List<String> eventNames,
                     Consumer<JourneyRecord> sink) throws SQLException {
        AttributionSettings settings;
        ZoneId zone;
        String currency;
        try (StatementCache st = new StatementCache(c)) {
            settings = JdbcAttributionStore.settingsOn(st, ws);
            String[] w = st.list("SELECT time_zone, currency FROM workspaces WHERE id = ?",
                    rs -> new String[]{rs.getString(1), rs.getString(2)}, ws).stream().findFirst()
                    .orElse(new String[]{"UTC", ""});
            zone = ZoneId.of(w[0]);
            currency = w[1];
        }
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
        try (PreparedStatement tps = c.prepareStatement("SELECT canonical_id, id, started_at, last_seen_at, click_id, "
                + StoredTouchRows.COLUMNS + " FROM attribution_touchpoints WHERE workspace_id = ? AND started_at >= ?"
                + " AND started_at < ? ORDER BY " + orderKey + ", started_at, id");
             PreparedStatement cps = c.prepareStatement("SELECT canonical_id, converted_at, value, currency"
                     + " FROM attribution_conversions WHERE workspace_id = ? AND day >= ? AND day <= ?"
                     + (eventNames == null ? "" : " AND event_name IN (" + String.join(", ",
                     java.util.Collections.nCopies(Math.max(1, eventNames.size()), "?")) + ")")
                     + " ORDER BY " + orderKey + ", converted_at")) {
            tps.setFetchSize(FETCH);
            cps.setFetchSize(FETCH);
            Rows.setParams(tps, ws, start.minus(settings.lookback()).toEpochMilli(), end.toEpochMilli());
            List<Object> cp = new ArrayList<>(List.of(ws, from.toString(), to.toString()));
            if (eventNames != null) cp.addAll(eventNames.isEmpty() ? List.of("") : eventNames);
            Rows.setParams(cps, cp.toArray());
            try (ResultSet trs = tps.executeQuery(); ResultSet crs = cps.executeQuery()) {
                merge(trs, crs, currency, settings, start, sink);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static void merge(ResultSet trs, ResultSet crs, String currency, AttributionSettings settings, Instant start,
                              Consumer<JourneyRecord> sink) throws SQLException {
        boolean tNext = trs.next();
        Conv conv = crs.next() ? conv(crs, currency) : null;
        List<StoredTouch> touches = new ArrayList<>();
        List<Conv> convs = new ArrayList<>();
        while (tNext || conv != null) {
            String tCanon = tNext ? trs.getString(1) : null;
            String canonical = tCanon == null ? conv.canonical()
                    : conv == null || tCanon.compareTo(conv.canonical()) <= 0 ? tCanon : conv.canonical();
            touches.clear();
            convs.clear();
            while (tNext && canonical.equals(trs.getString(1))) {
                touches.add(StoredTouchRows.stored(trs));
                tNext = trs.next();
            }
            while (conv != null && canonical.equals(conv.canonical())) {
                convs.add(conv);
                conv = crs.next() ? conv(crs, currency) : null;
            }
            emit(touches, convs, settings, start, sink);
        }
    }

    private static Conv conv(ResultSet rs, String currency) throws SQLException {
        double v = rs.getDouble(3);
        boolean counted = !rs.wasNull() && currency.equals(rs.getString(4));
        return new Conv(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), counted ? v : 0);
    }

    /** One profile: a converting journey per conversion, and its touchpoints after the last one as a journey that did not convert. */
    private static void emit(List<StoredTouch> touches, List<Conv> convs, AttributionSettings settings, Instant start,
                             Consumer<JourneyRecord> sink) {
        Instant lastConversion = null;
        for (Conv cv : convs) {
            List<StoredTouch> path = ConversionCredits.path(cv.at(), touches, settings.lookback());
            sink.accept(new JourneyRecord(touchpoints(path), true, cv.value()));
            lastConversion = cv.at();
        }
        List<Touchpoint> rest = new ArrayList<>();
        for (StoredTouch t : touches) {
            if (t.time().isBefore(start)) continue;
            if (lastConversion == null || t.time().isAfter(lastConversion)) rest.add(t.touchpoint());
        }
        if (!rest.isEmpty()) sink.accept(new JourneyRecord(rest, false, 0));
    }

    private static List<Touchpoint> touchpoints(List<StoredTouch> path) {
        List<Touchpoint> out = new ArrayList<>(path.size());
        for (StoredTouch t : path) out.add(t.touchpoint());
        return out;
    }
}
