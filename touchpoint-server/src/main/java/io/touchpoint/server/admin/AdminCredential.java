package io.touchpoint.server.admin;

import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.store.SettingsStore;

import java.util.Optional;

/**
 * The administrator credential: {@code TOUCHPOINT_ADMIN_TOKEN} when set, otherwise a random token created
 * on first start, printed once and stored only as its hash.
 */
public final class AdminCredential {
    static final String SETTING = "admin_token_sha256";
    public static final String ENV = "TOUCHPOINT_ADMIN_TOKEN";
    private final SettingsStore settings;
    private final String fromEnvironmentHash;
    private volatile String storedHash;

    public AdminCredential(SettingsStore settings, String fromEnvironment) {
        this.settings = settings;
        this.fromEnvironmentHash = fromEnvironment == null || fromEnvironment.isBlank() ? null
                : Secrets.sha256Hex(fromEnvironment.strip());
    }

    /** Creates the stored credential when there is none and no environment override; returns it if created. */
    public Optional<String> ensure() {
        if (fromEnvironmentHash != null) return Optional.empty();
        storedHash = settings.get(SETTING).orElse(null);
        if (storedHash != null) return Optional.empty();
        String secret = newSecret();
        if (settings.putIfAbsent(SETTING, Secrets.sha256Hex(secret))) {
            storedHash = Secrets.sha256Hex(secret);
            return Optional.of(secret);
        }
        storedHash = settings.get(SETTING).orElse(null); // another process created it first
        return Optional.empty();
    }

    /** Replaces the stored credential; returns the new secret. */
    public String reset() {
        String secret = newSecret();
        settings.put(SETTING, Secrets.sha256Hex(secret));
        storedHash = Secrets.sha256Hex(secret);
        return secret;
    }

    public Optional<String> hash() {
        return Optional.ofNullable(fromEnvironmentHash != null ? fromEnvironmentHash : storedHash);
    }

    private static String newSecret() {
        return "tpa_" + Secrets.random(40);
    }
}
