package io.touchpoint.storage.jdbc.admin;

import io.touchpoint.core.store.SavedViewStore;
import io.touchpoint.core.views.SavedView;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Saved views in saved_views, one row per workspace, page and name. */
public final class JdbcSavedViewStore implements SavedViewStore {
    private static final String COLUMNS = "id, workspace_id, page, name, query, created_by, created_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM saved_views ";
    private final JdbcDatabase db;

    public JdbcSavedViewStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public List<SavedView> list(String workspaceId, String page) {
        return Sql.list(db, SELECT + "WHERE workspace_id = ? AND page = ? ORDER BY name, id", JdbcSavedViewStore::map,
                workspaceId, page);
    }

    @Override
    public Optional<SavedView> byId(String workspaceId, String id) {
        return Sql.one(db, SELECT + "WHERE workspace_id = ? AND id = ?", JdbcSavedViewStore::map, workspaceId, id);
    }

    @Override
    public SavedView save(SavedView v) {
        return db.write(c -> {
            try (StatementCache st = new StatementCache(c)) {
                st.update("INSERT INTO saved_views (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (workspace_id, page, name) DO UPDATE SET query = excluded.query,"
                                + " created_by = excluded.created_by, created_at = excluded.created_at",
                        v.id(), v.workspaceId(), v.page(), v.name(), v.query(), v.createdBy(), v.createdAt());
                return st.list(SELECT + "WHERE workspace_id = ? AND page = ? AND name = ?", JdbcSavedViewStore::map,
                        v.workspaceId(), v.page(), v.name()).get(0);
            }
        });
    }

    @Override
    public boolean delete(String workspaceId, String id) {
        return Sql.update(db, "DELETE FROM saved_views WHERE workspace_id = ? AND id = ?", workspaceId, id) == 1;
    }

    private static SavedView map(ResultSet rs) throws SQLException {
        return new SavedView(rs.getString("id"), rs.getString("workspace_id"), rs.getString("page"), rs.getString("name"),
                rs.getString("query"), rs.getString("created_by"), Rows.instant(rs, "created_at"));
    }
}
