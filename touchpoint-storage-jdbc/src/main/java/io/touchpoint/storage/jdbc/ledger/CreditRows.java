package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.touchpoint.Touchpoint;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A conversion's stored path in attribution_credits: one row per touchpoint, one credit column per rule-based model. */
public final class CreditRows {
    private static final List<AttributionModel> MODELS = AttributionModel.RULE_BASED;
    private static final String MODEL_COLUMNS = String.join(", ", MODELS.stream().map(AttributionModel::wireName).toList());

    public record Row(long touchpointId, Instant time, Touchpoint touchpoint, double[] credits) {
        public double credit(AttributionModel m) {
            return credits[MODELS.indexOf(m)];
        }
    }

    private CreditRows() {
    }

    public static List<Row> read(StatementCache st, String eventId) throws SQLException {
        return st.list("SELECT touchpoint_id, touched_at, " + StoredTouchRows.COLUMNS + ", " + MODEL_COLUMNS
                + " FROM attribution_credits WHERE event_id = ? ORDER BY position", rs -> {
            double[] credits = new double[MODELS.size()];
            for (int i = 0; i < credits.length; i++) credits[i] = rs.getDouble(MODELS.get(i).wireName());
            return new Row(rs.getLong("touchpoint_id"), Instant.ofEpochMilli(rs.getLong("touched_at")),
                    StoredTouchRows.touchpoint(rs, null), credits);
        }, eventId);
    }

    /** Whether the stored path is the fresh one: same touchpoints, same credits. */
    public static boolean same(List<Row> old, ConversionCredits fresh) {
        if (old.size() != fresh.path().size()) return false;
        for (int i = 0; i < old.size(); i++) {
            StoredTouch t = fresh.path().get(i);
            Row r = old.get(i);
            if (r.touchpointId() != t.id() || !r.time().equals(t.time())) return false;
            for (int m = 0; m < MODELS.size(); m++) {
                if (Math.abs(r.credits()[m] - fresh.credits().get(MODELS.get(m))[i]) > 1e-12) return false;
            }
        }
        return true;
    }

    public static void replace(StatementCache st, String eventId, ConversionCredits fresh) throws SQLException {
        st.update("DELETE FROM attribution_credits WHERE event_id = ?", eventId);
      insert(st, eventId, fresh);
    }

    /** Stores the path of a conversion that has none stored yet, its rows in one batch. */
    public static void insert(StatementCache st, String eventId, ConversionCredits fresh) throws SQLException {
        String sql = "INSERT INTO attribution_credits (event_id, position, touchpoint_id, touched_at, " + StoredTouchRows.COLUMNS
                + ", " + MODEL_COLUMNS + ") VALUES (?, ?, ?, ?, " + StoredTouchRows.MARKS + ", ?, ?, ?, ?, ?, ?)";
        List<Object[]> rows = new ArrayList<>(fresh.path().size());
        for (int i = 0; i < fresh.path().size(); i++) {
            StoredTouch t = fresh.path().get(i);
            List<Object> params = new ArrayList<>(List.of(eventId, i, t.id(), t.time().toEpochMilli()));
            params.addAll(java.util.Arrays.asList(StoredTouchRows.values(t.touchpoint())));
            for (AttributionModel m : MODELS) params.add(fresh.credits().get(m)[i]);
            rows.add(params.toArray());
        }
        st.batch(sql, rows);
    }
}
