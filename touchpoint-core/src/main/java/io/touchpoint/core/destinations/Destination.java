package io.touchpoint.core.destinations;

import io.touchpoint.core.attribution.models.AttributionModel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One outbound connection of a workspace. {@code settings} holds the plain settings; the secret ones are in
 * {@code sealedSecrets}, encrypted by {@link io.touchpoint.core.auth.SecretBox}, and only the sender opens them. {@code events} null means
 * every conversion; {@code eventMap} overrides the platform's default name for a canonical event name.
 * {@code model} is the model whose credit decides {@link DeliveryMode#ATTRIBUTED}. {@code baseUrl} replaces the
 * platform's host (tests, egress proxies); null means the platform's own.
 */
public record Destination(String id, String workspaceId, DestinationType type, String name,
                          Map<String, String> settings, String sealedSecrets, List<String> events,
                          Map<String, String> eventMap, DeliveryMode mode, AttributionModel model, String baseUrl,
                          boolean enabled, Instant createdAt, Instant updatedAt) {
    public Destination {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        events = events == null ? null : List.copyOf(events);
        eventMap = eventMap == null ? Map.of() : Map.copyOf(eventMap);
        mode = mode == null ? DeliveryMode.ALL : mode;
        model = model == null ? AttributionModel.LAST_TOUCH : model;
        Objects.requireNonNull(createdAt, "createdAt");
        updatedAt = updatedAt == null ? createdAt : updatedAt;
    }

    public String setting(String key) {
        return settings.get(key);
    }

    /** Whether this destination takes events named {@code name} (conversions when no list is set). */
    public boolean takes(String eventName, boolean conversion) {
        return events == null ? conversion : events.contains(eventName);
    }
}
