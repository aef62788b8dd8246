package io.touchpoint.storage.sqlite;

import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.SqlDialect;

/** SQLite as the store has it; a test overrides the one call it interferes with. */
class DelegatingSqliteDatabase implements JdbcDatabase {
    final SqliteDatabase db;

    DelegatingSqliteDatabase(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public <T> T write(Work<T> work) {
        return db.write(work);
    }

    @Override
    public <T> T writeDerived(Work<T> work) {
        return db.writeDerived(work);
    }

    @Override
    public boolean durableWriteWaiting() {
        return db.durableWriteWaiting();
    }

    @Override
    public void afterErasure() {
        db.afterErasure();
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
    public <T> T read(Work<T> work) {
        return db.read(work);
    }

    @Override
    public void close() {
        db.close();
    }
}
