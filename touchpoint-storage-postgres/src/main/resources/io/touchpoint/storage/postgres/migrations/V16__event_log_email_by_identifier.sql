-- Schema version 16: the events log's email filter reads event_log_identifiers (every entry's email is there, type
-- email, normalised alike), so ingest no longer keeps an index of its own for it: emails arrive in random order, and
-- each one cost the ingest writer an insert at a random place of that index.
DROP INDEX event_log_workspace_email;
