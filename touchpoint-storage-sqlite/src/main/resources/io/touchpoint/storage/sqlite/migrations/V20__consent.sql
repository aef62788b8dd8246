-- Schema version 20: consent. A workspace's default for visitors who have not chosen (granted, denied or by_region),
-- the regions by_region denies, and where the platforms' processing is restricted (Limited Data Use): comma-separated
-- ISO 3166 codes. A workspace from before has NULL lists, read as the built-in ones (the EEA, UK and Switzerland;
-- none), and the default 'granted', which changes none of its deliveries.
ALTER TABLE workspaces ADD COLUMN consent_default TEXT NOT NULL DEFAULT 'granted';
ALTER TABLE workspaces ADD COLUMN consent_denied_regions TEXT;
ALTER TABLE workspaces ADD COLUMN consent_limited_data_use_regions TEXT;

-- an accepted event's consent beside its events-log entry (JSON, as the event stores it), so the log shows it
-- without reading the events; NULL for refusals and for entries logged before this version (read as unknown)
ALTER TABLE event_log ADD COLUMN consent TEXT;
