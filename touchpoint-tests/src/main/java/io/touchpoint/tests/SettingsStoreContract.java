package io.touchpoint.tests;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Installation settings: get, put (replace) and put-if-absent. */
public abstract class SettingsStoreContract extends StoreContract {

    @Test
    void putReplacesAndGetReads() {
        assertThat(store.settings().get("k")).isEmpty();
        store.settings().put("k", "v1");
        store.settings().put("k", "v2");
        assertThat(store.settings().get("k")).contains("v2");
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        assertThat(store.settings().putIfAbsent("k", "first")).isTrue();
        assertThat(store.settings().putIfAbsent("k", "second")).isFalse();
        assertThat(store.settings().get("k")).contains("first");
    }
}
