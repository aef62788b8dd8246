package io.touchpoint.tests;

import io.touchpoint.core.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of every storage contract suite: each test gets a fresh, empty, migrated store from
 * {@link #openEmptyStore()}. A behaviour is tested once, here, and every store subclasses the suite.
 */
public abstract class StoreContract {
    protected Store store;

    /** A new, empty store (a fresh file or database); closed by the suite after each test. */
    protected abstract Store openEmptyStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }
}
