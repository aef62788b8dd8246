package io.touchpoint.storage.jdbc.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.store.StoreException;

/**
 * The events log's consent column, which ingest writes and the log reads: the accepted event's consent as the event
 * stores it (JSON: the four signals, region, defaulted, limited_data_use); NULL when unknown.
 */
public final class ConsentColumn {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConsentColumn() {
    }

    public static String write(Consent consent) {
        if (consent == null || consent.equals(Consent.UNKNOWN)) return null;
        try {
            return JSON.writeValueAsString(consent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a consent is always serialisable", e);
        }
    }

    public static Consent read(String column) {
        if (column == null) return Consent.UNKNOWN;
        try {
            return JSON.readValue(column, Consent.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored events-log consent is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
