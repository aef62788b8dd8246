package io.touchpoint.core.store;

import java.util.Optional;

/** Installation-wide settings, such as the administrator credential's hash. */
public interface SettingsStore {
    Optional<String> get(String key);

    void put(String key, String value);

    /** Sets the value only when the key is absent; returns whether it did. */
    boolean putIfAbsent(String key, String value);
}
