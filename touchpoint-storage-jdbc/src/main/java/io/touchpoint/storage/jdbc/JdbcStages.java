package io.touchpoint.storage.jdbc;

import io.touchpoint.core.stage.AttributionStage;
import io.touchpoint.core.stage.IdentityStage;
import io.touchpoint.core.stage.Stage;
import io.touchpoint.core.stage.Stages;

/** The stages over one database. */
record JdbcStages(IdentityStage identity, AttributionStage attribution, Stage eventLogIndex, Stage traffic, Stage peopleSearchIndex)
        implements Stages {
}
