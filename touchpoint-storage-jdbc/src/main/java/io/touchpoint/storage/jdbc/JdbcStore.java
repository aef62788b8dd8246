package io.touchpoint.storage.jdbc;

import io.touchpoint.core.stage.Stages;
import io.touchpoint.core.store.AdAccountStore;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.AuditLog;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.EventStore;
import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.FunnelStore;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.IngestLogStore;
import io.touchpoint.core.store.PixelSettingsStore;
import io.touchpoint.core.store.SavedViewStore;
import io.touchpoint.core.store.SessionStore;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SettingsStore;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.store.TokenStore;
import io.touchpoint.core.store.TrafficStore;
import io.touchpoint.core.store.UserStore;
import io.touchpoint.core.store.WorkspaceStore;
import io.touchpoint.storage.jdbc.adaccounts.JdbcAdAccountStore;
import io.touchpoint.storage.jdbc.admin.JdbcFunnelStore;
import io.touchpoint.storage.jdbc.admin.JdbcPixelSettingsStore;
import io.touchpoint.storage.jdbc.admin.JdbcSettingsStore;
import io.touchpoint.storage.jdbc.admin.JdbcTokenStore;
import io.touchpoint.storage.jdbc.admin.JdbcWorkspaceStore;
import io.touchpoint.storage.jdbc.attribution.JdbcAttributionStage;
import io.touchpoint.storage.jdbc.audit.JdbcAuditLog;
import io.touchpoint.storage.jdbc.attribution.JdbcAttributionStore;
import io.touchpoint.storage.jdbc.delivery.JdbcDestinationStore;
import io.touchpoint.storage.jdbc.erasure.Erasure;
import io.touchpoint.storage.jdbc.eventlog.EventLogIndexStage;
import io.touchpoint.storage.jdbc.eventlog.JdbcEventLogStore;
import io.touchpoint.storage.jdbc.exports.JdbcExportStore;
import io.touchpoint.storage.jdbc.identity.JdbcIdentityStage;
import io.touchpoint.storage.jdbc.identity.PeopleSearchIndexStage;
import io.touchpoint.storage.jdbc.identity.JdbcIdentityStore;
import io.touchpoint.storage.jdbc.ingest.JdbcEventStore;
import io.touchpoint.storage.jdbc.ingest.JdbcIngestStore;
import io.touchpoint.storage.jdbc.ledger.JdbcSetAsideStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.traffic.JdbcTrafficStore;
import io.touchpoint.storage.jdbc.traffic.TrafficStage;
import io.touchpoint.storage.jdbc.sql.Migrations;
import io.touchpoint.storage.jdbc.admin.JdbcSavedViewStore;
import io.touchpoint.storage.jdbc.users.JdbcSessionStore;
import io.touchpoint.storage.jdbc.users.JdbcUserStore;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Store} over plain SQL that SQLite and PostgreSQL both speak; each database supplies its
 * connections ({@link JdbcDatabase}) and its own versioned migrations.
 */
public class JdbcStore implements Store {
    private final JdbcDatabase db;
    private final Migrations migrations;
    private final WorkspaceStore workspaces;
    private final TokenStore tokens;
    private final FunnelStore funnels;
    private final SettingsStore settings;
    private final IngestLogStore ingest;
    private final EventStore events;
    private final EventLogStore eventLog;
    private final PixelSettingsStore pixelSettings;
    private final IdentityStore identity;
    private final AttributionStore attribution;
    private final DestinationStore destinations;
    private final AdAccountStore adAccounts;
    private final SetAsideStore setAside;
    private final AuditLog audit;
    private final UserStore users;
    private final SessionStore sessions;
    private final ExportStore exports;
    private final SavedViewStore savedViews;
    private final TrafficStore traffic;
    private final Stages stages;

    /** Heap one link kept by the identity stage takes, its share of profiles and maps included (measured). */
    static final long CACHED_LINK_BYTES = 400;
    private static final int MAX_IDENTITY_CACHE_LINKS = 100_000_000;

    /**
     * Identity links the identity stage keeps in memory between batches unless configured: as many as an eighth of
     * the heap holds. Keeping them saves each batch most of its graph reads.
     */
    public static int defaultIdentityCacheLinks() {
        return (int) Math.min(MAX_IDENTITY_CACHE_LINKS, Runtime.getRuntime().maxMemory() / 8 / CACHED_LINK_BYTES);
    }

    /**
     * Migrates the database to the latest version, then opens the stores on it.
     *
     * @param identityCacheLinks how many links of the identity graph the identity stage may keep in memory between
     *                           batches (0: none, every batch reads what it touches; negative: the default,
     *                           {@link #defaultIdentityCacheLinks()})
     */
    protected JdbcStore(JdbcDatabase db, Migrations migrations, int identityCacheLinks) {
        if (identityCacheLinks < 0) identityCacheLinks = defaultIdentityCacheLinks();
        this.db = db;
        this.migrations = migrations;
        try {
            migrations.apply(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        this.workspaces = new JdbcWorkspaceStore(db);
        this.tokens = new JdbcTokenStore(db);
        this.funnels = new JdbcFunnelStore(db);
        this.settings = new JdbcSettingsStore(db);
        this.ingest = new JdbcIngestStore(db);
        this.events = new JdbcEventStore(db);
        this.eventLog = new JdbcEventLogStore(db);
        this.pixelSettings = new JdbcPixelSettingsStore(db);
        ReentrantLock graphLock = new ReentrantLock();
        PeopleSearchIndexStage peopleSearchIndex = new PeopleSearchIndexStage(db);
        this.identity = new JdbcIdentityStore(db, graphLock, new Erasure(db, graphLock, peopleSearchIndex::removeErased));
        this.attribution = new JdbcAttributionStore(db);
        this.destinations = new JdbcDestinationStore(db);
        this.adAccounts = new JdbcAdAccountStore(db);
        JdbcSetAsideStore setAside = new JdbcSetAsideStore(db);
        this.setAside = setAside;
        this.audit = new JdbcAuditLog(db);
        this.users = new JdbcUserStore(db);
        this.sessions = new JdbcSessionStore(db);
        this.exports = new JdbcExportStore(db);
        this.savedViews = new JdbcSavedViewStore(db);
        this.traffic = new JdbcTrafficStore(db);
        // a page view identity resolves on a retry is counted then, if the traffic stage went past it meanwhile
        JdbcIdentityStage identityStage = new JdbcIdentityStage(db, setAside, graphLock, identityCacheLinks, TrafficStage::countLate);
        this.stages = new JdbcStages(identityStage, new JdbcAttributionStage(db, setAside), new EventLogIndexStage(db),
                new TrafficStage(db), peopleSearchIndex);
    }

    @Override
    public int schemaVersion() {
        return migrations.current(db);
    }

    public int latestSchemaVersion() {
        return migrations.latest();
    }

    protected JdbcDatabase database() {
        return db;
    }

    @Override
    public WorkspaceStore workspaces() {
        return workspaces;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public FunnelStore funnels() {
        return funnels;
    }

    @Override
    public SettingsStore settings() {
        return settings;
    }

    @Override
    public IngestLogStore ingest() {
        return ingest;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public EventLogStore eventLog() {
        return eventLog;
    }

    @Override
    public PixelSettingsStore pixelSettings() {
        return pixelSettings;
    }

    @Override
    public IdentityStore identity() {
        return identity;
    }

    @Override
    public AttributionStore attribution() {
        return attribution;
    }

    @Override
    public DestinationStore destinations() {
        return destinations;
    }

    @Override
    public AdAccountStore adAccounts() {
        return adAccounts;
    }

    @Override
    public SetAsideStore setAside() {
        return setAside;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public ExportStore exports() {
        return exports;
    }

    @Override
    public SavedViewStore savedViews() {
        return savedViews;
    }

    @Override
    public TrafficStore traffic() {
        return traffic;
    }

    @Override
    public Stages stages() {
        return stages;
    }

    @Override
    public boolean ping() {
        try {
            return db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
