package io.touchpoint.core.ingest;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Payload bodies as Jackson decodes them, and the fixed facts a mapper is handed. */
final class TestPayloads {
    static final Instant RECEIVED_AT = Instant.parse("2025-03-01T12:00:00Z");
    static final Workspace US = new Workspace("ws_1", "acme", "px_1", RECEIVED_AT, WorkspaceSettings.DEFAULTS);
    static final Workspace GB = new Workspace("ws_2", "acme-uk", "px_2", RECEIVED_AT,
            new WorkspaceSettings("Europe/London", "GBP", "GB", WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE));

    private TestPayloads() {
    }

    /** A body from alternating keys and values; values may be null (JSON null). */
    static Map<String, Object> body(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("keys and values must pair up");
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return body;
    }

    /** A copy of {@code base} with the given keys set (a null value is a JSON null, not a removal). */
    static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.putAll(body(keysAndValues));
        return copy;
    }

    static IngestInput input(Workspace workspace, Map<String, Object> body, String raw) {
        return new IngestInput(body, raw, workspace, "req_x", "evt_x", RECEIVED_AT);
    }

    static IngestInput input(Map<String, Object> body) {
        return input(US, body, "{}");
    }
}
