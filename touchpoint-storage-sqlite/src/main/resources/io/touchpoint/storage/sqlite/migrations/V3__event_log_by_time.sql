-- Schema version 3: the events log is read newest first by (received_at, seq), so every filter's index
-- ends in those two columns; a page then costs the same whether the log holds a thousand rows or ten million.
DROP INDEX event_log_workspace;
DROP INDEX event_log_workspace_outcome;
DROP INDEX event_log_workspace_name;
DROP INDEX event_log_workspace_email;
DROP INDEX event_log_workspace_time;
CREATE INDEX event_log_workspace_time ON event_log (workspace_id, received_at, seq);
CREATE INDEX event_log_workspace_outcome ON event_log (workspace_id, outcome, received_at, seq);
CREATE INDEX event_log_workspace_name ON event_log (workspace_id, event_name, received_at, seq);
CREATE INDEX event_log_workspace_email ON event_log (workspace_id, email, received_at, seq);
CREATE INDEX event_log_time ON event_log (received_at, seq);
