package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.paths.ConversionPath;
import io.touchpoint.core.attribution.engine.FieldValues;
import io.touchpoint.core.attribution.engine.ReportRows;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.storage.jdbc.ledger.CreditRows;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Sql;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** Attribution over SQL: settings, reports from the rollup, receipts, journeys, data-driven runs, spend. */
public final class JdbcAttributionStore implements AttributionStore {
    private final JdbcDatabase db;

    public JdbcAttributionStore(JdbcDatabase db) {
        this.db = db;
    }

    // ---- settings ----

    @Override
    public AttributionSettings settings(String workspaceId) {
        return db.read(c -> {
            try (StatementCache st = new StatementCache(c)) {
                return AttributionLedger.settingsOn(st, workspaceId);
            }
        });
    }

    @Override
    public void putSettings(String workspaceId, AttributionSettings s) {
        String json = AttributionLedger.settingsJson(s);
        db.write(c -> {
            try (StatementCache st = new StatementCache(c)) {
                if (AttributionLedger.settingsOn(st, workspaceId).equals(s)) return null;
                // '' asks the processor to recompute the workspace's conversions from its first profile on
                st.update("INSERT INTO attribution_settings (workspace_id, settings, rebuild_after) VALUES (?, ?, '')"
                        + " ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, rebuild_after = ''",
                        workspaceId, json);
                return null;
            }
        });
    }

    // ---- reports ----

    /** The WHERE clause shared by report queries on a table with workspace_id, day and event_name columns. */
    private static String filter(ReportQuery q, List<Object> params) {
        params.add(q.workspaceId());
        params.add(q.from().toString());
        params.add(q.to().toString());
        StringBuilder sql = new StringBuilder(" WHERE workspace_id = ? AND day >= ? AND day <= ?");
        if (q.eventNames() != null) {
            sql.append(" AND event_name IN (").append(marks(q.eventNames().size())).append(')');
            params.addAll(q.eventNames());
        }
        return sql.toString();
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(Math.max(n, 1), "?"));
    }

    @Override
    public List<CreditCell> credits(ReportQuery q) {
        List<AttributionModel> models = q.models().stream().filter(AttributionModel::ruleBased).toList();
        if (models.isEmpty() || q.eventNames() != null && q.eventNames().isEmpty()) return List.of();
        List<Object> params = new ArrayList<>();
        String where = filter(q, params);
        where += " AND model IN (" + marks(models.size()) + ")";
        models.forEach(m -> params.add(m.wireName()));
        String group = q.groupBy().wireName(); // a fixed column name from the enum, never user text
        String day = q.daily() ? "day" : "NULL";
        String sql = "SELECT " + day + " AS d, " + group + " AS g, model, currency, SUM(conversions), SUM(revenue)"
                + " FROM attribution_rollup" + where + " GROUP BY " + (q.daily() ? "day, " : "") + group + ", model, currency";
        return Sql.list(db, sql, rs -> new CreditCell(rs.getString(1) == null ? null : LocalDate.parse(rs.getString(1)),
                rs.getString(2), AttributionModel.fromWireName(rs.getString(3)).orElseThrow(), rs.getString(4),
                rs.getDouble(5), rs.getDouble(6)), params.toArray());
    }

    @Override
    public List<ConversionTotal> totals(ReportQuery q) {
        if (q.eventNames() != null && q.eventNames().isEmpty()) return List.of();
        List<Object> params = new ArrayList<>();
        String where = filter(q, params);
        // grouped in the covering day index's order (day, event_name, currency) so no sort is needed; the event
        // names are then folded together here
        String sql = "SELECT day, currency, COUNT(*), SUM(COALESCE(value, 0)) FROM attribution_conversions" + where
                + " GROUP BY day, event_name, currency";
        Map<List<String>, double[]> sums = new LinkedHashMap<>();
        for (Object[] r : Sql.list(db, sql, rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4)},
                params.toArray())) {
            double[] s = sums.computeIfAbsent(java.util.Arrays.asList(q.daily() ? (String) r[0] : null, (String) r[1]),
                    k -> new double[2]);
            s[0] += (Long) r[2];
            s[1] += (Double) r[3];
        }
        List<ConversionTotal> out = new ArrayList<>(sums.size());
        sums.forEach((k, s) -> out.add(new ConversionTotal(k.get(0) == null ? null : LocalDate.parse(k.get(0)), k.get(1),
                (long) s[0], s[1])));
        return out;
    }

    @Override
    public io.touchpoint.core.store.Page<io.touchpoint.core.attribution.report.CreditedConversion> creditedConversions(
            io.touchpoint.core.attribution.report.CreditedConversionQuery query) {
        return CreditedConversionReads.read(db, query);
    }

    @Override
    public java.util.Set<String> conversionsAmong(String workspaceId, List<String> eventIds) {
        if (eventIds.isEmpty()) return java.util.Set.of();
        List<Object> params = new ArrayList<>();
        params.add(workspaceId);
        params.addAll(eventIds);
        return new java.util.HashSet<>(Sql.list(db, "SELECT event_id FROM attribution_conversions WHERE workspace_id = ?"
                + " AND event_id IN (" + marks(eventIds.size()) + ")", rs -> rs.getString(1), params.toArray()));
    }

    @Override
    public Optional<Receipt> receipt(String workspaceId, String eventId) {
        return db.read(c -> {
            try (StatementCache st = new StatementCache(c)) {
                List<String[]> conv = st.list("SELECT event_name, converted_at, value, currency, canonical_id"
                                + " FROM attribution_conversions WHERE workspace_id = ? AND event_id = ?",
                        rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)},
                        workspaceId, eventId);
                if (conv.isEmpty()) return Optional.<Receipt>empty();
                String[] r = conv.get(0);
                List<Receipt.Step> path = new ArrayList<>();
                for (CreditRows.Row row : CreditRows.read(st, eventId)) {
                    Map<AttributionModel, Double> credits = new EnumMap<>(AttributionModel.class);
                    for (AttributionModel m : AttributionModel.RULE_BASED) credits.put(m, row.credit(m));
                    path.add(new Receipt.Step(row.touchpointId(), row.time(), row.touchpoint(), credits));
                }
                return Optional.of(new Receipt(eventId, r[0], Instant.ofEpochMilli(Long.parseLong(r[1])),
                        r[2] == null ? null : Double.valueOf(r[2]), r[3].isEmpty() ? null : r[3], r[4], path));
            }
        });
    }

    @Override
    public void journeys(String workspaceId, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                         Consumer<Journey> sink) {
        db.read(c -> {
            JourneyReader.read(c, workspaceId, from, to, eventNames, groupBy, sink);
            return null;
        });
    }

    @Override
    public void conversionPaths(String workspaceId, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                                Consumer<ConversionPath> sink) {
        db.read(c -> {
            JourneyReader.readPaths(c, workspaceId, from, to, eventNames, groupBy, sink);
            return null;
        });
    }

    @Override
    public ReportData report(ReportQuery q, String runKey) {
        return ReportReads.report(db, q, runKey);
    }

    @Override
    public long reportRows(String workspaceId, long afterVersion,
                           Function<Set<LocalDate>, ReportRows> sinkFor) {
        return ReportRowReads.read(db, workspaceId, afterVersion, sinkFor);
    }

    @Override
    public void conversionFieldValues(String workspaceId, String field, FieldValues sink) {
        ConversionFieldReads.read(db, workspaceId, field, sink);
    }

    // ---- data-driven runs ----

    @Override
    public Optional<ModelRun> modelRun(String workspaceId, String runKey) {
        return Sql.one(db, "SELECT computed_at, result, data_version FROM attribution_model_runs WHERE workspace_id = ? AND run_key = ?",
                rs -> {
                    long version = rs.getLong(3);
                    boolean unknown = rs.wasNull(); // stored before versions were kept
                    return new ModelRun(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), unknown ? UNKNOWN_VERSION : version);
                }, workspaceId, runKey);
    }

    @Override
    public void putModelRun(String workspaceId, String runKey, ModelRun run) {
        Sql.update(db, "INSERT INTO attribution_model_runs (workspace_id, run_key, computed_at, result, data_version) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (workspace_id, run_key) DO UPDATE SET computed_at = excluded.computed_at, result = excluded.result,"
                        + " data_version = excluded.data_version",
                workspaceId, runKey, run.computedAt().toEpochMilli(), run.resultJson(),
                run.dataVersion() < 0 ? null : run.dataVersion());
    }

    @Override
    public long dataVersion() {
        return Sql.one(db, "SELECT data_version FROM attribution_cursor WHERE id = 1", rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public long dataVersion(String workspaceId, LocalDate from, LocalDate to) {
        return Sql.one(db, "SELECT COALESCE(MAX(version), 0) FROM attribution_changes WHERE workspace_id = ? AND day >= ? AND day <= ?",
                rs -> rs.getLong(1), workspaceId, from.toString(), to.toString()).orElse(0L);
    }

    @Override
    public long eventsNotAttributed() {
        // one read, so that the cursor and the set-aside events are seen at one moment; an event identity set aside
        // that the attribution cursor has not passed yet is counted once, as one ahead of the cursor
        return db.read(c -> {
            try (StatementCache st = new StatementCache(c)) {
                long cursor = st.list(AttributionLedger.ATTRIBUTION_FRONTIER, rs -> rs.getLong(1)).get(0);
                long latest = st.list("SELECT COALESCE(MAX(seq), 0) FROM events", rs -> rs.getLong(1)).get(0);
                long setAside = st.list("SELECT COUNT(DISTINCT event_id) FROM set_aside_events WHERE stage IN (?, ?) AND seq <= ?",
                        rs -> rs.getLong(1), SetAsideStore.Stage.IDENTITY.wireName(), SetAsideStore.Stage.ATTRIBUTION.wireName(),
                        cursor).get(0);
                return Math.max(0, latest - cursor) + setAside;
            }
        });
    }

    // ---- ad spend ----

    @Override
    public int importSpend(String workspaceId, List<SpendRow> rows) {
        long now = System.currentTimeMillis();
        return db.write(c -> {
            try (StatementCache st = new StatementCache(c)) {
                for (SpendRow r : rows) {
                    st.update("INSERT INTO ad_delivery (workspace_id, source, day, platform, campaign_id, campaign, ad_set_id, ad_set,"
                                    + " ad_id, ad, spend, currency, impressions, clicks, platform_conversions, platform_conversion_value,"
                                    + " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)"
                                    + " ON CONFLICT (workspace_id, source, day, platform, campaign, ad_set, ad, ad_id) DO UPDATE SET"
                                    + " campaign_id = excluded.campaign_id, ad_set_id = excluded.ad_set_id, spend = excluded.spend,"
                                    + " currency = excluded.currency, imported_at = excluded.imported_at",
                            workspaceId, IMPORTED, r.day().toString(), r.platform(), r.campaignId(), r.campaign(), r.adSetId(),
                            key(r.adSet()), key(r.adId()), key(r.ad()), r.spend().doubleValue(), r.currency(), now);
                }
                return rows.size();
            }
        });
    }

    /** The source of imported rows; a synced row's source is its ad account connection's id. */
    private static final String IMPORTED = "csv";

    /** A level nobody named is '' in the key columns of ad_delivery and absent (null) in what is read. */
    private static String key(String s) {
        return s == null ? "" : s;
    }

    private static String named(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public Map<LocalDate, Map<String, Double>> spend(String workspaceId, LocalDate from, LocalDate to, GroupBy groupBy, boolean daily) {
        if (groupBy != GroupBy.PLATFORM && groupBy != GroupBy.CAMPAIGN) return new HashMap<>(); // get(null) must answer
        String col = groupBy.wireName();
        String day = daily ? "day" : "NULL";
        Map<LocalDate, Map<String, Double>> out = new HashMap<>();
        for (Object[] r : Sql.list(db, "SELECT " + day + ", " + col + ", SUM(spend) FROM ad_delivery WHERE workspace_id = ?"
                        + " AND day >= ? AND day <= ? GROUP BY " + (daily ? "day, " : "") + col,
                rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getDouble(3)}, workspaceId, from.toString(), to.toString())) {
            LocalDate d = r[0] == null ? null : LocalDate.parse((String) r[0]);
            out.computeIfAbsent(d, x -> new LinkedHashMap<>()).put((String) r[1], (Double) r[2]);
        }
        return out;
    }

    @Override
    public List<SpendRow> spendRows(String workspaceId, LocalDate from, LocalDate to) {
        return Sql.list(db, "SELECT day, platform, campaign_id, campaign, ad_set_id, ad_set, ad_id, ad, spend, currency"
                        + " FROM ad_delivery WHERE workspace_id = ? AND day >= ? AND day <= ? ORDER BY day, platform, campaign, ad_set, ad, source",
                rs -> new SpendRow(LocalDate.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), named(rs.getString(6)), named(rs.getString(7)), named(rs.getString(8)),
                        BigDecimal.valueOf(rs.getDouble(9)), rs.getString(10)), workspaceId, from.toString(), to.toString());
    }

    @Override
    public List<AdSpend> adSpend(String workspaceId, LocalDate from, LocalDate to) {
        return Sql.list(db, "SELECT day, platform, campaign_id, campaign, ad_set_id, ad_set, ad_id, ad, spend, impressions, clicks,"
                        + " platform_conversions, platform_conversion_value, source FROM ad_delivery WHERE workspace_id = ?"
                        + " AND day >= ? AND day <= ? ORDER BY day, platform, campaign, ad_set, ad, source",
                rs -> new AdSpend(LocalDate.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), named(rs.getString(6)), named(rs.getString(7)), named(rs.getString(8)), rs.getDouble(9),
                        rs.getLong(10), rs.getLong(11), rs.getDouble(12), rs.getDouble(13), rs.getString(14)),
                workspaceId, from.toString(), to.toString());
    }
}
