-- Schema version 21: report engine. The in-memory report engine reloads the days whose attribution data changed; a
-- day's touchpoints are found by when their visit began.
CREATE INDEX attribution_touchpoints_started ON attribution_touchpoints (workspace_id, started_at);
