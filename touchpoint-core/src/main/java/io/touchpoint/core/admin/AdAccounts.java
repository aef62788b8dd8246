package io.touchpoint.core.admin;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.AdAccountInput;
import io.touchpoint.core.adaccounts.AdPlatform;
import io.touchpoint.core.adaccounts.InvalidAdAccountException;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AdAccountStore;
import io.touchpoint.core.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adding, changing and removing ad account connections: settings are checked against the platform's needs, the
 * secret ones are sealed with the destinations' {@link SecretBox} before they are stored, and only hints come back.
 */
public final class AdAccounts {
    private static final int MAX_NAME = 200;
    private final Workspaces workspaces;
    private final AdAccountStore store;
    private final SecretBox box;
    private final Clock clock;

    public AdAccounts(Store store, SecretBox box, Clock clock) {
        this.workspaces = new Workspaces(store, clock);
        this.store = store.adAccounts();
        this.box = box;
        this.clock = clock;
    }

    /** A connection with its secrets as the sync needs them. */
    public record Opened(AdAccount account, Map<String, String> secrets) {
        public String secret(String key) {
            return secrets.get(key);
        }
    }

    public AdAccount create(String workspaceIdOrName, AdAccountInput in) {
        Workspace ws = workspaces.require(workspaceIdOrName);
        List<FieldError> errors = new ArrayList<>();
        if (in.platform() == null) {
            errors.add(new FieldError("platform", FieldError.MISSING, "platform is required: one of " + AdPlatform.names()));
            throw new InvalidAdAccountException(errors);
        }
        Map<String, String> all = new LinkedHashMap<>(in.settings() == null ? Map.of() : in.settings());
        all.values().removeIf(v -> v == null || v.isBlank());
        String accountId = check(in.platform(), in.name(), in.accountId(), all, errors);
        Instant now = now();
        AdAccount a = new AdAccount(Ids.adAccount(), ws.id(), in.platform(), in.name().strip(), accountId,
                part(in.platform().plainSettings(), all), box.seal(part(in.platform().secretSettings(), all)),
                in.enabled() == null || in.enabled(), now, now, SyncState.NEVER);
        store.create(a);
        return a;
    }

    /** Changes what {@code in} gives; secrets given replace the stored ones, secrets not given stay. */
    public AdAccount update(String id, String workspaceId, AdAccountInput in) {
        AdAccount old = require(id, workspaceId);
        List<FieldError> errors = new ArrayList<>();
        if (in.platform() != null && in.platform() != old.platform()) {
            errors.add(new FieldError("platform", FieldError.INVALID_VALUE,
                    "a connection's platform cannot change; add a new connection instead"));
            throw new InvalidAdAccountException(errors);
        }
        Map<String, String> all = new LinkedHashMap<>(old.settings());
        all.putAll(box.open(old.sealedSecrets()));
        if (in.settings() != null) {
            in.settings().forEach((k, v) -> {
                if (v == null || v.isBlank()) all.remove(k);
                else all.put(k, v);
            });
        }
        String name = in.name() != null ? in.name() : old.name();
        String accountId = check(old.platform(), name, in.accountId() != null ? in.accountId() : old.accountId(), all, errors);
        AdAccount a = new AdAccount(old.id(), old.workspaceId(), old.platform(), name.strip(), accountId,
                part(old.platform().plainSettings(), all), box.seal(part(old.platform().secretSettings(), all)),
                in.enabled() != null ? in.enabled() : old.enabled(), old.createdAt(), now(), old.lastSync());
        store.update(a);
        return a;
    }

    public List<AdAccount> list(String workspaceIdOrName) {
        return store.list(workspaces.require(workspaceIdOrName).id());
    }

    /** The connection, when it exists and (with a workspace id given) belongs to that workspace. */
    public AdAccount require(String id, String workspaceId) {
        return store.find(id).filter(a -> workspaceId == null || a.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("no ad account connection with id '" + id + "'"));
    }

    public AdAccount delete(String id, String workspaceId) {
        AdAccount a = require(id, workspaceId);
        store.delete(a.id());
        return a;
    }

    public Opened open(AdAccount a) {
        return new Opened(a, box.open(a.sealedSecrets()));
    }

    /** Each secret setting's hint ("…f3a9"): what the API shows instead of the secret. */
    public Map<String, String> hints(AdAccount a) {
        Map<String, String> out = new LinkedHashMap<>();
        open(a).secrets().forEach((k, v) -> out.put(k, SecretBox.hint(v)));
        return out;
    }

    /** Seals again every connection whose secrets a previous key sealed; returns how many (after a key rotation). */
    public int resealAll() {
        int n = 0;
        for (Workspace ws : workspaces.list()) {
            for (AdAccount a : store.list(ws.id())) {
                if (SecretBox.keyIdOf(a.sealedSecrets()).equals(box.primaryKeyId())) continue;
                store.update(new AdAccount(a.id(), a.workspaceId(), a.platform(), a.name(), a.accountId(), a.settings(),
                        box.seal(box.open(a.sealedSecrets())), a.enabled(), a.createdAt(), a.updatedAt(), a.lastSync()));
                n++;
            }
        }
        return n;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Checks everything and throws with every problem named; returns the account id as the platform spells it. */
    private static String check(AdPlatform platform, String name, String accountId, Map<String, String> all,
                                List<FieldError> errors) {
        if (name == null || name.isBlank()) errors.add(new FieldError("name", FieldError.MISSING, "name is required"));
        else if (name.strip().length() > MAX_NAME) {
            errors.add(new FieldError("name", FieldError.INVALID_VALUE, "name must be at most " + MAX_NAME + " characters"));
        }
        String id = accountId(platform, accountId, errors);
        for (String k : all.keySet()) {
            if (!platform.plainSettings().contains(k) && !platform.secretSettings().contains(k)) {
                List<String> known = new ArrayList<>(platform.plainSettings());
                known.addAll(platform.secretSettings());
                errors.add(new FieldError("settings." + k, FieldError.INVALID_VALUE, "unknown setting '" + k + "'; a "
                        + platform.wireName() + " connection takes " + String.join(", ", known)));
            }
        }
        for (String k : platform.requiredSettings()) {
            if (!all.containsKey(k)) errors.add(new FieldError("settings." + k, FieldError.MISSING,
                    "settings." + k + " is required for a " + platform.wireName() + " connection (docs/AD_ACCOUNTS.md)"));
        }
        String login = all.get("login_customer_id");
        if (login != null) {
            String digits = login.replace("-", "").strip();
            if (!digits.matches("\\d{10}")) errors.add(new FieldError("settings.login_customer_id", FieldError.INVALID_VALUE,
                    "settings.login_customer_id must be the manager account's ten-digit customer id"));
            else all.put("login_customer_id", digits);
        }
        if (!errors.isEmpty()) throw new InvalidAdAccountException(errors);
        return id;
    }

    private static String accountId(AdPlatform platform, String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError("account_id", FieldError.MISSING, "account_id is required: the " + platform.accountIdMeaning()));
            return null;
        }
        String v = raw.strip();
        String id = switch (platform) {
            case META -> v.startsWith("act_") ? v.substring(4) : v;
            case GOOGLE -> v.replace("-", "");
            case TIKTOK -> v;
        };
        boolean ok = platform == AdPlatform.GOOGLE ? id.matches("\\d{10}") : id.matches("\\d{1,30}");
        if (!ok) errors.add(new FieldError("account_id", FieldError.INVALID_VALUE, "account_id must be the "
                + platform.accountIdMeaning()));
        return id;
    }

    private static Map<String, String> part(List<String> keys, Map<String, String> all) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) if (all.get(k) != null) out.put(k, all.get(k).strip());
        return out;
    }
}
