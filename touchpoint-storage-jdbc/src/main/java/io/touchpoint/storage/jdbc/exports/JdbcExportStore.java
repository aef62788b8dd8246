package io.touchpoint.storage.jdbc.exports;

import io.touchpoint.core.store.ExportStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Export schedules and their claimed daily runs: a run is claimed by inserting its (schedule, day) key. */
public final class JdbcExportStore implements ExportStore {
    private static final String COLUMNS = "id, workspace_id, name, what, params, folder, url, secret_sealed, hour, "
            + "created_at, last_day, last_run_at, last_status, last_message";
    private final JdbcDatabase db;

    public JdbcExportStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Schedule s) {
        Sql.update(db, "INSERT INTO export_schedules (id, workspace_id, name, what, params, folder, url, secret_sealed, "
                        + "hour, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s.id(), s.workspaceId(), s.name(), s.what(),
                s.params(), s.folder(), s.url(), s.sealedSecret(), s.hour(), s.createdAt());
    }

    @Override
    public Optional<Schedule> byId(String id) {
        return Sql.one(db, "SELECT " + COLUMNS + " FROM export_schedules WHERE id = ?", JdbcExportStore::map, id);
    }

    @Override
    public List<Schedule> list(String workspaceId) {
        return Sql.list(db, "SELECT " + COLUMNS + " FROM export_schedules WHERE workspace_id = ? ORDER BY created_at, id",
                JdbcExportStore::map, workspaceId);
    }

    @Override
    public List<Schedule> all() {
        return Sql.list(db, "SELECT " + COLUMNS + " FROM export_schedules ORDER BY created_at, id", JdbcExportStore::map);
    }

    @Override
    public boolean delete(String id) {
        return db.write(c -> {
            Rows.update(c, "DELETE FROM export_runs WHERE schedule_id = ?", id);
            return Rows.update(c, "DELETE FROM export_schedules WHERE id = ?", id) == 1;
        });
    }

    @Override
    public boolean claim(String scheduleId, LocalDate day, Instant at) {
        // the key (schedule, day) lets one insert through; a second process's changes nothing unless the claim it meets
        // was abandoned, and then only the first such update passes (the next one meets a fresh claim)
        return Sql.update(db, "INSERT INTO export_runs (schedule_id, day, claimed_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (schedule_id, day) DO UPDATE SET claimed_at = excluded.claimed_at"
                        + " WHERE export_runs.claimed_at <= ? AND export_runs.finished_at IS NULL",
                scheduleId, day.toString(), at, at.minus(ABANDONED_AFTER)) == 1;
    }

    @Override
    public boolean takeOver(String scheduleId, LocalDate day, Instant at) {
        return Sql.update(db, "UPDATE export_runs SET claimed_at = ? WHERE schedule_id = ? AND day = ?"
                + " AND claimed_at <= ? AND finished_at IS NULL", at, scheduleId, day.toString(), at.minus(ABANDONED_AFTER)) == 1;
    }

    @Override
    public void finished(String scheduleId, LastRun run) {
        db.write(c -> {
            Rows.update(c, "UPDATE export_schedules SET last_day = ?, last_run_at = ?, last_status = ?, last_message = ?"
                    + " WHERE id = ?", run.day().toString(), run.at(), run.status(), run.message(), scheduleId);
            // the scheduled run that exports a day is claimed on the day after it
            return Rows.update(c, "UPDATE export_runs SET finished_at = ? WHERE schedule_id = ? AND day = ?"
                    + " AND finished_at IS NULL", run.at(), scheduleId, run.day().plusDays(1).toString());
        });
    }

    @Override
    public boolean reseal(String scheduleId, String sealedSecret) {
        return Sql.update(db, "UPDATE export_schedules SET secret_sealed = ? WHERE id = ? AND url IS NOT NULL",
                sealedSecret, scheduleId) == 1;
    }

    private static Schedule map(ResultSet rs) throws SQLException {
        String day = rs.getString("last_day");
        LastRun last = day == null ? null : new LastRun(LocalDate.parse(day), Rows.instant(rs, "last_run_at"),
                rs.getString("last_status"), rs.getString("last_message"));
        return new Schedule(rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"), rs.getString("what"),
                rs.getString("params"), rs.getString("folder"), rs.getString("url"), rs.getString("secret_sealed"),
                rs.getInt("hour"), Rows.instant(rs, "created_at"), last);
    }
}
