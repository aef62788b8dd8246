-- Schema version 38: a claimed export run records when it finished. A claim still unfinished long after it was taken
-- is one whose process stopped mid-run, and another process takes it over. Claims that a run of their schedule
-- finished after are marked finished.
ALTER TABLE export_runs ADD COLUMN finished_at INTEGER;
UPDATE export_runs SET finished_at = claimed_at
    WHERE EXISTS (SELECT 1 FROM export_schedules s WHERE s.id = export_runs.schedule_id
                  AND s.last_run_at >= export_runs.claimed_at);
