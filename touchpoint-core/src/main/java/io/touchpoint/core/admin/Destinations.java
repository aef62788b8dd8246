package io.touchpoint.core.admin;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationChecks;
import io.touchpoint.core.destinations.DestinationInput;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.InvalidDestinationException;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adding, changing and removing destinations, for the admin API and the command line alike: settings are checked
 * against the type's rules, secret settings are sealed before they are stored, and only their hints come back.
 */
public final class Destinations {
    static final String WEBHOOK_SECRET_PREFIX = "whsec_";
    private final Workspaces workspaces;
    private final DestinationStore store;
    private final SecretBox box;
    private final Clock clock;

    public Destinations(Store store, SecretBox box, Clock clock) {
        this.workspaces = new Workspaces(store, clock);
        this.store = store.destinations();
        this.box = box;
        this.clock = clock;
    }

    /** A destination with its secrets as the sender needs them; only senders and the test call open them. */
    public record Opened(Destination destination, Map<String, String> secrets) {
    }

    public Destination create(String workspaceIdOrName, DestinationInput in) {
        Workspace ws = workspaces.require(workspaceIdOrName);
        List<FieldError> errors = new ArrayList<>();
        if (in.type() == null) errors.add(new FieldError("type", FieldError.MISSING, "type is required: one of meta, google_ads, tiktok, ga4, webhook"));
        DestinationChecks.name(in.name(), errors);
        if (in.type() == null) throw new InvalidDestinationException(errors);
        Map<String, String> all = new LinkedHashMap<>(in.settings() == null ? Map.of() : in.settings());
        if (in.type() == DestinationType.WEBHOOK && blank(all.get("secret"))) {
            all.put("secret", WEBHOOK_SECRET_PREFIX + Secrets.random(32));
        }
        check(in.type(), all, in, errors);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Destination d = new Destination(Ids.destination(), ws.id(), in.type(), in.name().strip(), plain(in.type(), all),
                box.seal(secret(in.type(), all)), in.events() == null ? null : emptyToNull(in.events()), in.eventMap(), in.mode(), in.model(), trimSlash(in.baseUrl()),
                in.enabled() == null || in.enabled(), now, now);
        store.create(d);
        return d;
    }

    /** Changes what {@code in} gives; secrets given replace the stored ones, secrets not given stay. */
    public Destination update(String id, String workspaceId, DestinationInput in) {
        Destination old = require(id, workspaceId);
        if (in.type() != null && in.type() != old.type()) {
            throw new InvalidDestinationException(List.of(new FieldError("type", FieldError.INVALID_VALUE,
                    "a destination's type cannot change; add a new destination instead")));
        }
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() != null ? in.name() : old.name();
        DestinationChecks.name(name, errors);
        Map<String, String> all = new LinkedHashMap<>(old.settings());
        all.putAll(open(old).secrets());
        if (in.settings() != null) {
            in.settings().forEach((k, v) -> {
                if (v == null || v.isBlank()) all.remove(k);
                else all.put(k, v);
            });
        }
        DestinationInput merged = new DestinationInput(old.type(), name, all,
                in.events() != null ? emptyToNull(in.events()) : old.events(),
                in.eventMap() != null ? in.eventMap() : old.eventMap(),
                in.mode() != null ? in.mode() : old.mode(), in.model() != null ? in.model() : old.model(),
                in.baseUrl() != null ? in.baseUrl() : old.baseUrl(), in.enabled() != null ? in.enabled() : old.enabled());
        check(old.type(), all, merged, errors);
        Destination d = new Destination(old.id(), old.workspaceId(), old.type(), name.strip(), plain(old.type(), all),
                box.seal(secret(old.type(), all)), merged.events(), merged.eventMap(), merged.mode(), merged.model(),
                trimSlash(blank(merged.baseUrl()) ? null : merged.baseUrl()), merged.enabled(), old.createdAt(), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        store.update(d);
        return d;
    }

    public List<Destination> list(String workspaceIdOrName) {
        return store.list(workspaces.require(workspaceIdOrName).id());
    }

    /** The destination, when it exists and (with a workspace id given) belongs to that workspace. */
    public Destination require(String id, String workspaceId) {
        return store.find(id).filter(d -> workspaceId == null || d.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("no destination with id '" + id + "'"));
    }

    public Destination delete(String id, String workspaceId) {
        Destination d = require(id, workspaceId);
        store.delete(d.id());
        return d;
    }

    public Opened open(Destination d) {
        return new Opened(d, box.open(d.sealedSecrets()));
    }

    /** Each secret setting's hint ("…f3a9"); what the API and dashboard show instead of the secret. */
    public Map<String, String> hints(Destination d) {
        Map<String, String> out = new LinkedHashMap<>();
        open(d).secrets().forEach((k, v) -> out.put(k, SecretBox.hint(v)));
        return out;
    }

    /** Seals again every destination whose secrets a previous key sealed; returns how many (after a key rotation). */
    public int resealAll() {
        int n = 0;
        for (var ws : workspaces.list()) {
            for (Destination d : store.list(ws.id())) {
                if (SecretBox.keyIdOf(d.sealedSecrets()).equals(box.primaryKeyId())) continue;
                store.update(new Destination(d.id(), d.workspaceId(), d.type(), d.name(), d.settings(),
                        box.seal(box.open(d.sealedSecrets())), d.events(), d.eventMap(), d.mode(), d.model(), d.baseUrl(),
                        d.enabled(), d.createdAt(), d.updatedAt()));
                n++;
            }
        }
        return n;
    }

    private static void check(DestinationType type, Map<String, String> all, DestinationInput in, List<FieldError> errors) {
        DestinationChecks.settings(type, all, errors);
        DestinationChecks.events(in.events(), in.eventMap(), errors);
        if (in.mode() == DeliveryMode.ATTRIBUTED && type.platform() == io.touchpoint.core.touchpoint.Platform.NONE) {
            errors.add(new FieldError("mode", FieldError.INVALID_VALUE, "mode attributed needs an ad platform's credit; a "
                    + type.wireName() + " destination takes mode all"));
        }
        if (in.model() != null && !in.model().ruleBased()) {
            errors.add(new FieldError("model", FieldError.INVALID_VALUE, "model must be a rule-based model (first_touch, "
                    + "last_touch, last_non_direct, linear, time_decay, position_based)"));
        }
        if (in.baseUrl() != null && !in.baseUrl().isBlank()) {
            String problem = type == DestinationType.WEBHOOK ? "a webhook's address is its url setting"
                    : DestinationChecks.url(in.baseUrl(), false);
            if (problem != null) errors.add(new FieldError("base_url", FieldError.INVALID_VALUE, "base_url " + problem));
        }
        if (!errors.isEmpty()) throw new InvalidDestinationException(errors);
    }

    private static Map<String, String> plain(DestinationType type, Map<String, String> all) {
        Map<String, String> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!type.secretSettings().contains(k)) out.put(k, v.strip());
        });
        return out;
    }

    private static Map<String, String> secret(DestinationType type, Map<String, String> all) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : type.secretSettings()) {
            if (all.get(k) != null) out.put(k, all.get(k).strip());
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> emptyToNull(List<String> events) {
        return events.isEmpty() ? null : events;
    }

    private static String trimSlash(String url) {
        if (url == null) return null;
        String u = url.strip();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }
}
