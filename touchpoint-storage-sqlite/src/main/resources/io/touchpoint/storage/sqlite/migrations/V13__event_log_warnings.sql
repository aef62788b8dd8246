-- Schema version 13: the warnings an ingest answer carried (unknown fields ignored, invalid optional fields dropped),
-- as a JSON array of strings; NULL when there were none.
ALTER TABLE event_log ADD COLUMN warnings TEXT;
