package io.touchpoint.core.ingest;

/** Maps one wire dialect to the canonical event. Adding a dialect means one new implementation. */
public interface DialectMapper {
    MappingResult map(IngestInput input);
}
