-- Schema version 11: an event's enriched body is stored once for all the destinations it goes to. Destinations whose
-- enrichment came out the same (the usual case) share one delivery_payloads row; entries written before this
-- version keep their own copy in event_body.

CREATE TABLE delivery_payloads (
    id           BIGSERIAL PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX delivery_payloads_event ON delivery_payloads (workspace_id, event_id);

ALTER TABLE delivery_outbox ADD COLUMN payload_id BIGINT REFERENCES delivery_payloads (id);
ALTER TABLE delivery_outbox ALTER COLUMN event_body DROP NOT NULL;
-- finds whether a payload is still wanted once an entry goes
CREATE INDEX delivery_outbox_payload ON delivery_outbox (payload_id);
