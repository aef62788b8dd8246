package io.touchpoint.storage.jdbc.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.touchpoint.core.identity.ResolutionInput;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.StoreException;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a stored event identity resolution reads: the columns of its row, and from the JSON body only the
 * identifiers and the ip. Reading just those with a streaming parser, skipping the rest of the body (custom data,
 * the raw payload), costs a fraction of binding the whole {@link io.touchpoint.core.model.Event}, which was a
 * fifth of the identity stage's time.
 */
record IdentityEvent(long seq, String id, String workspaceId, long receivedAt, long eventTime, List<Identifier> identifiers,
                     String ip) {
    private static final JsonFactory JSON = new JsonFactory();

    ResolutionInput input() {
        return new ResolutionInput(seq, id, Instant.ofEpochMilli(eventTime), identifiers, ip);
    }

    /** Reads the identifiers and context.ip of an event body written by {@link io.touchpoint.storage.jdbc.sql.EventJson#write}. */
    static IdentityEvent of(long seq, String id, String workspaceId, long receivedAt, long eventTime, String body) {
        List<Identifier> ids = new ArrayList<>(4);
        String ip = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new StoreException("stored event is not a JSON object", null);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("identifiers".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) ids.add(identifier(p));
                } else if ("context".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("ip".equals(name) && v == JsonToken.VALUE_STRING) ip = p.getText();
                        else p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new StoreException("stored event is not readable: " + e.getMessage(), e);
        }
        return new IdentityEvent(seq, id, workspaceId, receivedAt, eventTime, ids, ip);
    }

    private static Identifier identifier(JsonParser p) throws IOException {
        String type = null;
        String value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("type".equals(name) && v == JsonToken.VALUE_STRING) type = p.getText();
            else if ("value".equals(name) && v == JsonToken.VALUE_STRING) value = p.getText();
            else p.skipChildren();
        }
        if (type == null || value == null) throw new StoreException("stored event has an incomplete identifier", null);
        return new Identifier(IdentifierType.valueOf(type), value);
    }
}
