-- Schema version 33: undone merges in sequence. The attribution stage takes the merges undone since its last step;
-- by the time they were undone, read from the clock of the undoing process, it could pass over an unmerge stamped by
-- a process whose clock is behind or committed long after its stamp. Each unmerge now takes the next number of a
-- sequence as it commits, and the stage follows that. Merges undone before are numbered in the order of their time.
ALTER TABLE identity_merges ADD COLUMN undo_seq INTEGER;
UPDATE identity_merges SET undo_seq = (SELECT COUNT(*) FROM identity_merges o WHERE o.undone_at < identity_merges.undone_at
    OR (o.undone_at = identity_merges.undone_at AND o.id <= identity_merges.id))
    WHERE undone_at IS NOT NULL;
DROP INDEX identity_merges_undone;
CREATE UNIQUE INDEX identity_merges_undo_seq ON identity_merges (undo_seq) WHERE undo_seq IS NOT NULL;
-- the stage has applied every merge undone at or before its time stamp: the first that many numbers
ALTER TABLE attribution_cursor ADD COLUMN undo_seq INTEGER NOT NULL DEFAULT 0;
UPDATE attribution_cursor SET undo_seq = (SELECT COUNT(*) FROM identity_merges WHERE undone_at <= attribution_cursor.undone_at);
ALTER TABLE attribution_cursor DROP COLUMN undone_at;
