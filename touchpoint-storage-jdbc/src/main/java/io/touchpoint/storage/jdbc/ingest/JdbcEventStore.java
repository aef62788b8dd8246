package io.touchpoint.storage.jdbc.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.touchpoint.core.ingest.PixelMapper;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.recognition.PageViewSample;
import io.touchpoint.core.store.EventStore;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;
import io.touchpoint.core.store.StoreException;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcEventStore implements EventStore {
    private static final JsonFactory JSON = new JsonFactory();
    /** Tokens looked up at once: below both databases' parameter limits. */
    private static final int TOKENS_PER_READ = 500;
    private final JdbcDatabase db;

    public JdbcEventStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Event> find(String workspaceId, String eventId) {
        return Sql.one(db, "SELECT e.body, " + EventJson.RAW_PAYLOAD + " FROM events e WHERE e.workspace_id = ? AND e.id = ?",
                rs -> EventJson.read(rs.getString(1), rs.getString(2)), workspaceId, eventId);
    }

    @Override
    public long count(String workspaceId) {
        return Sql.one(db, "SELECT COUNT(*) FROM events WHERE workspace_id = ?", rs -> rs.getLong(1), workspaceId)
                .orElse(0L);
    }

    @Override
    public Optional<String> idWithKey(String workspaceId, String idempotencyKey) {
        return Sql.one(db, "SELECT id FROM events WHERE workspace_id = ? AND idempotency_key = ?", rs -> rs.getString(1),
                workspaceId, idempotencyKey);
    }

    /** A page view as read from its row: the token is looked up afterwards. */
    private record Row(long at, String token, String userAgent, String tokenSource) {
    }

    @Override
    public List<PageViewSample> pixelPageViews(String workspaceId, Instant from, Instant to, int limit) {
        List<Row> rows = Sql.list(db, "SELECT event_time, body FROM events WHERE workspace_id = ? AND event_time >= ?"
                        + " AND event_time < ? AND name = ? AND source = ? ORDER BY event_time DESC LIMIT ?",
                rs -> row(rs.getLong(1), rs.getString(2)), workspaceId, from.toEpochMilli(), to.toEpochMilli(),
                EventNames.PAGE_VIEW, Source.PIXEL.wireName(), limit);
        Map<String, Long> firstSeen = firstSeen(workspaceId, rows);
        List<PageViewSample> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Long seen = r.token() == null ? null : firstSeen.get(r.token());
            out.add(new PageViewSample(Instant.ofEpochMilli(r.at()), r.userAgent(), r.tokenSource(),
                    seen == null ? null : Instant.ofEpochMilli(seen)));
        }
        return out;
    }

    /** When each token was first linked (its earliest link, over every profile it is on). */
    private Map<String, Long> firstSeen(String workspaceId, List<Row> rows) {
        List<String> tokens = new ArrayList<>(new LinkedHashSet<>(rows.stream().map(Row::token)
                .filter(t -> t != null).toList()));
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < tokens.size(); i += TOKENS_PER_READ) {
            List<String> chunk = tokens.subList(i, Math.min(tokens.size(), i + TOKENS_PER_READ));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT value, MIN(first_seen_at) FROM identity_links"
                        + " WHERE workspace_id = ? AND type = ? AND value IN (" + marks + ") GROUP BY value")) {
                    List<Object> params = new ArrayList<>(chunk.size() + 2);
                    params.add(workspaceId);
                    params.add(IdentifierType.VISITOR_TOKEN.wireName());
                    params.addAll(chunk);
                    Rows.setParams(ps, params.toArray());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return null;
            });
        }
        return out;
    }

    /**
     * Reads the visitor token, user agent and token source of a stored event with a streaming parser, skipping the
     * rest of the body (the raw payload, most of the custom data).
     */
    private static Row row(long at, String body) {
        String token = null, userAgent = null, source = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new StoreException("stored event is not a JSON object", null);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("identifiers".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String type = null, v = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken t = p.nextToken();
                            if ("type".equals(name) && t == JsonToken.VALUE_STRING) type = p.getText();
                            else if ("value".equals(name) && t == JsonToken.VALUE_STRING) v = p.getText();
                            else p.skipChildren();
                        }
                        if (token == null && IdentifierType.VISITOR_TOKEN.name().equals(type)) token = v;
                    }
                } else if ("context".equals(field) && value == JsonToken.START_OBJECT) {
                    userAgent = member(p, "userAgent");
                } else if ("customData".equals(field) && value == JsonToken.START_OBJECT) {
                    source = member(p, PixelMapper.TOKEN_SOURCE);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new StoreException("stored event is not readable: " + e.getMessage(), e);
        }
        return new Row(at, token, userAgent, source);
    }

    /** The string member {@code name} of the object the parser is in, reading to its end. */
    private static String member(JsonParser p, String name) throws IOException {
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String n = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals(n) && v == JsonToken.VALUE_STRING) found = p.getText();
            else p.skipChildren();
        }
        return found;
    }
}
