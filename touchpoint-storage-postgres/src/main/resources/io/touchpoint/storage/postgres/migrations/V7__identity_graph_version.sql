-- Schema version 7: a version of the identity graph beside the processor's cursor. Unmerge and erasure add one to
-- it; the processor keeps the part of the graph it has used in memory and commits a batch only if neither the
-- cursor nor this version moved since it read, so a copy made stale by another writer (or another node) is dropped.
ALTER TABLE identity_cursor ADD COLUMN graph_version BIGINT NOT NULL DEFAULT 0;
