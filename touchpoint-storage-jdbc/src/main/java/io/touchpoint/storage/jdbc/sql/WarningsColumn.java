package io.touchpoint.storage.jdbc.sql;

import io.touchpoint.core.store.StoreException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/** The events log's warnings column, which ingest writes and the log reads: a JSON array of strings, NULL when none. */
public final class WarningsColumn {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private WarningsColumn() {
    }

    public static String write(List<String> warnings) {
        if (warnings == null || warnings.isEmpty()) return null;
        try {
            return JSON.writeValueAsString(warnings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always serialisable", e);
        }
    }

    public static List<String> read(String column) {
        if (column == null) return List.of();
        try {
            return JSON.readValue(column, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored events-log warnings are not readable: " + e.getOriginalMessage(), e);
        }
    }
}
