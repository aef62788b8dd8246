package io.touchpoint.storage.jdbc.sql;

import io.touchpoint.core.store.StoreException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.touchpoint.core.model.Event;

/**
 * The stored form of a canonical event: its record components as JSON. Public so that every table holding an event
 * (the events table, the delivery outbox) writes and reads one form.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectWriter WRITER = MAPPER.writerFor(Event.class);
    private static final ObjectReader READER = MAPPER.readerFor(Event.class);

    private EventJson() {
    }

    public static String write(Event event) {
        try {
            return WRITER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a canonical event is always serialisable", e);
        }
    }

    public static Event read(String json) {
        try {
            return READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored event is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
