package io.touchpoint.core.store;

import io.touchpoint.core.stage.Stages;

/** A complete storage backend. SQLite and PostgreSQL implement it and pass the same contract suites. */
public interface Store extends AutoCloseable {
    WorkspaceStore workspaces();

    TokenStore tokens();

    FunnelStore funnels();

    SettingsStore settings();

    IngestLogStore ingest();

    EventStore events();

    EventLogStore eventLog();

    PixelSettingsStore pixelSettings();

    IdentityStore identity();

    AttributionStore attribution();

    DestinationStore destinations();

    /** Ad account connections and the spend they sync. */
    AdAccountStore adAccounts();

    SetAsideStore setAside();

    /** Who changed what: admin changes, sign-ins, erasures and exports. */
    AuditLog audit();
    UserStore users();

    SessionStore sessions();

    /** Scheduled daily exports and the runs claimed for them. */
    ExportStore exports();

    /** Named views of report pages, shared in a workspace. */
    SavedViewStore savedViews();

    /** The traffic overview's rollup of page views. */
    TrafficStore traffic();

    /** The processing stages over this backend's data. */
    Stages stages();

    /** A cheap round trip to the database, for readiness checks. */
    boolean ping();

    /**
     * The version of the database's schema (its last migration applied), which files kept beside the store name so as
     * to be refused after an upgrade; 0 when the backend has none.
     */
    default int schemaVersion() {
        return 0;
    }

    @Override
    void close();
}
