package io.touchpoint.storage.jdbc.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.touchpoint.core.destinations.Enrichment;
import io.touchpoint.core.destinations.ProfileEvent;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.storage.jdbc.sql.EventJson;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what enrichment takes of a stored event body ({@link EventJson}'s form) in one streaming pass, skipping the
 * rest: building the whole event (person, commerce, custom data, consent) was most of what the delivery stage spent
 * reading a profile's history. A body this does not understand is read whole, so the answer is always the one
 * {@link ProfileEvent#of} gives of the event {@link EventJson#read} reads.
 */
final class ProfileEventJson {
    private static final JsonFactory JSON = new JsonFactory();
    /** The signal types by the name the stored body gives them (the enum's name, as Jackson writes it). */
    private static final Map<String, IdentifierType> SIGNALS = new HashMap<>();
    /** Every type's stored name: an identifier of another type is skipped, one of no type leaves it to the full reader. */
    private static final Set<String> TYPES = new HashSet<>();

    static {
        for (IdentifierType t : Enrichment.SIGNALS) SIGNALS.put(t.name(), t);
        for (IdentifierType t : IdentifierType.values()) TYPES.add(t.name());
    }

    private ProfileEventJson() {
    }

    static ProfileEvent read(String body) {
        try {
            ProfileEvent e = lean(body);
            if (e != null) return e;
        } catch (IOException | RuntimeException e) {
            // not the usual form: the full reader decides, and says what is wrong with it if anything is
        }
        return ProfileEvent.of(EventJson.read(body));
    }

    /** The fields, or null when the body holds something in a form this pass does not read. */
    private static ProfileEvent lean(String body) throws IOException {
        String id = null, ip = null, userAgent = null, pageUrl = null;
        Instant at = null;
        Source source = null;
        List<Identifier> signals = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = text(p, value);
                    case "eventTime" -> {
                        if (value != JsonToken.VALUE_STRING) return null;
                        at = Instant.parse(p.getText());
                    }
                    case "source" -> {
                        if (value != JsonToken.VALUE_STRING) return null;
                        source = Source.valueOf(p.getText());
                    }
                    case "identifiers" -> {
                        if (value != JsonToken.START_ARRAY || signals != null) return null;
                        signals = new ArrayList<>();
                        if (!identifiers(p, signals)) return null;
                    }
                    case "context" -> {
                        if (value == JsonToken.VALUE_NULL) continue;
                        if (value != JsonToken.START_OBJECT) return null;
                        String[] c = strings(p, "ip", "userAgent", "pageUrl");
                        ip = c[0];
                        userAgent = c[1];
                        pageUrl = c[2];
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (id == null || at == null || source == null || signals == null) return null;
        return new ProfileEvent(id, at, source, signals, ip, userAgent, pageUrl);
    }

    /** Adds the identifiers of the signal types, in order; false when one is not a {type, value} object. */
    private static boolean identifiers(JsonParser p, List<Identifier> signals) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String[] i = strings(p, "type", "value");
            String type = i[0], value = i[1];
            if (type == null || value == null) return false;
            IdentifierType t = SIGNALS.get(type);
            if (t != null) signals.add(new Identifier(t, value));
            else if (!TYPES.contains(type)) return false;
        }
        return p.currentToken() == JsonToken.END_ARRAY;
    }

    /** The string values of the named fields of the object the parser is in (null when absent), skipping the rest. */
    private static String[] strings(JsonParser p, String... names) throws IOException {
        String[] out = new String[names.length];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int at = names.length - 1;
            while (at >= 0 && !names[at].equals(name)) at--;
            JsonToken v = p.nextToken();
            if (at >= 0) out[at] = text(p, v);
            else p.skipChildren();
        }
        return out;
    }

    /** A string value, null for JSON null; anything else is a form this pass leaves to the full reader. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v != JsonToken.VALUE_STRING) throw new IOException("not a string");
        return p.getText();
    }
}
