package io.touchpoint.tests;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.DestinationStore;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;

/** A workspace with the destination suite's fixtures, for the destination store's contracts. */
public abstract class DestinationContractBase extends StoreContract {
    protected static final Instant T0 = Fixtures.T0;
    protected static final Instant LATER = T0.plus(Duration.ofDays(1));
    protected Workspace ws;
    protected DestinationFixtures f;
    protected DestinationStore d;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
        f = new DestinationFixtures(store, ws);
        d = store.destinations();
    }
}
