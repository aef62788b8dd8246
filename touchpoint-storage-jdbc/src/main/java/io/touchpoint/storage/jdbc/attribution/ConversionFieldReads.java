package io.touchpoint.storage.jdbc.attribution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.touchpoint.core.attribution.engine.FieldValues;
import io.touchpoint.core.store.StoreException;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * One numeric custom_data field of a workspace's conversions, for the report engine's averages: each conversion's
 * stored event body, joined by its id, scanned with a streaming parser for the field, the rest skipped. Read when a
 * report first asks for the field, not kept with every conversion: few reports ask for averages, and a field is any
 * name the events carry.
 */
final class ConversionFieldReads {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int FETCH = 10_000;

    private ConversionFieldReads() {
    }

    static void read(JdbcDatabase db, String ws, String field, FieldValues sink) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT c.canonical_id, c.converted_at, c.event_name, e.body"
                    + " FROM attribution_conversions c JOIN events e ON e.id = c.event_id WHERE c.workspace_id = ?")) {
                ps.setFetchSize(FETCH);
                ps.setString(1, ws);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double v = number(rs.getString(4), field);
                        if (!Double.isNaN(v)) sink.value(rs.getString(1), rs.getLong(2), rs.getString(3), v);
                    }
                }
            }
            return null;
        });
    }

    /** The body's {@code customData.<field>} when it is a JSON number, NaN otherwise. */
    static double number(String body, String field) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!"customData".equals(name) || value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken t = p.nextToken();
                    if (field.equals(key)) return t.isNumeric() ? p.getDoubleValue() : Double.NaN;
                    p.skipChildren();
                }
                return Double.NaN;
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new StoreException("stored event is not readable: " + e.getMessage(), e);
        }
    }
}
