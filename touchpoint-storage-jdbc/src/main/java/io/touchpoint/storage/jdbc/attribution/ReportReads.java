package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.AttributionStore.ReportData;

import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.SqlDialect;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A report's reads in one read transaction: the attribution store's own queries, run on one connection whose
 * transaction sees one snapshot of the database. Credits, totals, spend, the stored data-driven run, the data version
 * that says whether it is stale and the processing lag then all describe the same moment: the attribution stage may
 * commit between two of them, and the report must not show a batch's conversions in its totals but not in its rows.
 */
final class ReportReads {
    private ReportReads() {
    }

    static ReportData report(JdbcDatabase db, ReportQuery q, String runKey) {
        return db.read(c -> inOneSnapshot(c, () -> {
            AttributionStore on = new JdbcAttributionStore(new OnConnection(db, c));
            ReportQuery total = new ReportQuery(q.workspaceId(), q.from(), q.to(), q.groupBy(), q.models(), q.eventNames(), false);
            Map<String, Double> spend = on.spend(q.workspaceId(), q.from(), q.to(), q.groupBy(), false).get(null);
            return new ReportData(on.credits(total), on.totals(total), spend == null ? Map.of() : spend,
                    q.daily() ? on.credits(q) : List.of(), q.daily() ? on.totals(q) : List.of(),
                    q.daily() ? on.spend(q.workspaceId(), q.from(), q.to(), q.groupBy(), true) : Map.of(),
                    runKey == null ? Optional.empty() : on.modelRun(q.workspaceId(), runKey),
                    on.dataVersion(q.workspaceId(), q.from(), q.to()), on.eventsNotAttributed());
        }));
    }

    interface Reads<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code reads} in one transaction that sees one snapshot: at least repeatable read (PostgreSQL's default,
     * read committed, takes a new snapshot per statement; SQLite's transactions are serializable already). The
     * connection is handed back as it was found.
     */
    static <T> T inOneSnapshot(Connection c, Reads<T> reads) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        boolean raise = isolation < Connection.TRANSACTION_REPEATABLE_READ;
        if (raise) c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setAutoCommit(false);
        try {
            return reads.run();
        } finally {
            c.rollback(); // nothing was written
            c.setAutoCommit(autoCommit);
            if (raise) c.setTransactionIsolation(isolation);
        }
    }

    /**
     * The database as seen from one open read transaction: every read runs on its connection, in the database's SQL
     * dialect; nothing writes here.
     */
    private record OnConnection(JdbcDatabase db, Connection c) implements JdbcDatabase {
        @Override
        public <T> T write(Work<T> work) {
            throw new IllegalStateException("a report's reads do not write");
        }

        @Override
        public <T> T read(Work<T> work) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw new StoreException("report read failed: " + e.getMessage(), e);
            }
        }

        @Override
        public SqlDialect dialect() {
            return db.dialect();
        }

        @Override
        public int quietIdentityBatch() {
            return db.quietIdentityBatch();
        }

        @Override
        public void close() {
            // the connection belongs to the transaction that lent it
        }
    }
}
