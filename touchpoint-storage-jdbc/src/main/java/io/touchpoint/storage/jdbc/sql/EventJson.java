package io.touchpoint.storage.jdbc.sql;

import io.touchpoint.core.store.StoreException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Event;

/**
 * The stored form of a canonical event: its record components as JSON, without the raw payload, which the events log
 * keeps (the entry of the event's request and item) and {@link #RAW_PAYLOAD} reads back where a reader shows it. Public
 * so that every table holding an event (the events table, the delivery outbox) writes and reads one form. Bodies
 * written with the raw payload inside still read with it.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /**
     * Absent fields are left out (every reader takes a missing field for null) and so is the campaign's derived
     * {@code empty}: a third of a typical body was nulls, written and read back by every stage.
     */
    private static final ObjectWriter WRITER = MAPPER.copy().addMixIn(Event.class, WithoutRawPayload.class)
            .addMixIn(Campaign.class, WithoutEmptyFlag.class)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .writerFor(Event.class);
    /**
     * A column expression for the raw payload of the event in {@code events e}: its accepted entry in the events log,
     * found along the log's request index.
     */
    public static final String RAW_PAYLOAD = "(SELECT l.payload FROM event_log l WHERE l.request_id = e.request_id"
            + " AND l.event_id = e.id AND l.outcome = 'accepted' LIMIT 1)";
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

    /** An event body read beside {@link #RAW_PAYLOAD}: the raw payload from the log unless the body held one. */
    public static Event read(String json, String rawPayload) {
        Event e = read(json);
        return e.rawPayload() == null && rawPayload != null ? e.withRawPayload(rawPayload) : e;
    }

    public static Event read(String json) {
        try {
            return READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored event is not readable: " + e.getOriginalMessage(), e);
        }
    }

    @JsonIgnoreProperties("rawPayload")
    private abstract static class WithoutRawPayload {
    }

    @JsonIgnoreProperties("empty")
    private abstract static class WithoutEmptyFlag {
    }
}
