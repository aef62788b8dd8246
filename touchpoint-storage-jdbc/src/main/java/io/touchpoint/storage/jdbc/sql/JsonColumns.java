package io.touchpoint.storage.jdbc.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.store.StoreException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON text columns: string maps and string lists. */
public final class JsonColumns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private JsonColumns() {
    }

    /** Keys sorted, so the same map is always the same text. */
    public static String map(Map<String, String> map) {
        return write(new TreeMap<>(map));
    }

    public static Map<String, String> map(String json) {
        return json == null ? Map.of() : read(json, MAP);
    }

    public static String list(List<String> list) {
        return list == null ? null : write(list);
    }

    public static List<String> list(String json) {
        return json == null ? null : read(json, LIST);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings are always serialisable", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored JSON column is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
