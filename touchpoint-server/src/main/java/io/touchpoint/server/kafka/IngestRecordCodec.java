package io.touchpoint.server.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.touchpoint.core.store.IngestRecord;

import java.io.IOException;

/**
 * A record on the ingest topic: the {@link IngestRecord} (log entry, and the canonical event when accepted) as JSON,
 * every component by name, so a node of the next version reads what this one wrote (fields it does not know are
 * skipped). Decimals stay decimals: a purchase value must not pass through a binary fraction on its way to the store.
 */
final class IngestRecordCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectWriter WRITER = MAPPER.writerFor(IngestRecord.class);
    private static final ObjectReader READER = MAPPER.readerFor(IngestRecord.class);

    private IngestRecordCodec() {
    }

    static byte[] write(IngestRecord r) {
        try {
            return WRITER.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new IllegalStateException("an ingest record is always serialisable", e);
        }
    }

    /** The record, or an exception naming what could not be read. */
    static IngestRecord read(byte[] bytes) throws IOException {
        return READER.readValue(bytes);
    }
}
