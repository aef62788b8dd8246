-- Schema version 25: report engine. The in-memory report engine reloads the days whose attribution data changed; a
-- day's touchpoints are found by when their visit began. The index is on an expression only that read writes
-- ("workspace_id || ''"), so the stage's searches of one profile's touchpoints can never take it for theirs.
CREATE INDEX attribution_touchpoints_started ON attribution_touchpoints ((workspace_id || ''), started_at);
