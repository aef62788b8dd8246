-- Schema version 9: the merges undone, by when. The attribution stage asks for the merges undone since its cursor
-- on every batch; without an index that read the whole merge log each time, a cost that grew with every merge ever
-- made. Partial: merges are seldom undone, so the index holds only those.
CREATE INDEX identity_merges_undone ON identity_merges (undone_at) WHERE undone_at IS NOT NULL;
