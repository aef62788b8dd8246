package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.stage.Stage;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The people search's index stage, where the database keeps the trigram index in a file of its own
 * ({@link JdbcDatabase#searchIndexFile}: SQLite's FTS5). The identity stage's new links
 * wait in {@code identity_link_search_pending}; each step first takes erased links out of the index (those
 * {@code identity_link_search_removals} names), then moves the oldest waiting links into it, and commits the index
 * file with how far into the queue it got; only then does the queue let go of those links. A search reads the
 * waiting links too, so it never waits for this stage. Where the database keeps the index itself, a step has nothing
 * to do.
 *
 * <p>The index file is derived: when it does not match the database (its generation differs, or it got further into
 * the queue than the database has links, or not as far as the database let go of), it is built again from
 * {@code identity_links}: every link waits again and the index starts empty.
 */
public final class PeopleSearchIndexStage implements Stage {
    /** Links per step while ingest is quiet: FTS5 writes a segment per step, cheaper per link the larger it is. */
    static final int BATCH = 20_000;
    private final JdbcDatabase db;
    /** Null where the database keeps the index with its table. */
    private final JdbcDatabase.SearchIndexFile index;
    /** Whether this process has found the index file matching the database (or built it so) since it opened it. */
    private volatile boolean matched;
    /** How far the queue of waiting links let go, as this process last did it; -1 before it did. */
    private long prunedThrough = -1;

    public PeopleSearchIndexStage(JdbcDatabase db) {
        this.db = db;
        this.index = db.searchIndexFile().orElse(null);
    }

    @Override
    public String name() {
        return "people_search";
    }

    @Override
    public int quietBatch() {
        return BATCH;
    }

    /** How far into the queues of waiting and erased links a step got, and how many links it indexed. */
    private record Moved(long indexedThrough, int indexed, long removedThrough) {
    }

    /**
     * Takes the erased links out of the index, moves up to {@code limit} of the oldest waiting links into it and
     * commits the index file; then lets the queues go of what it holds. A crash between the two commits leaves links
     * in the queue that the index already holds: the next step lets go of them without indexing them again.
     */
    @Override
    public int step(int limit) {
        if (index == null) return 0;
        if (!matched) {
            matchIndexFile();
            matched = true;
        }
        Moved moved = index.write(search -> {
            // read once the index file's lock is held, so that an erasure committed meanwhile finds the links it
            // removes either still waiting (and gone from the queue) or in the index (and takes them out after this)
            long through = indexedThrough(search);
            long removedThrough = applyRemovals(search);
            List<Object[]> links = db.read(c -> waiting(c, through, limit));
            if (links.isEmpty()) return new Moved(through, 0, removedThrough);
            try (PreparedStatement add = search.prepareStatement("INSERT INTO identity_link_search (value, profile_id, type,"
                    + " value_length) VALUES (?, ?, ?, ?)")) {
                for (Object[] l : links) {
                    Rows.setParams(add, l[1], l[2], l[3], ((String) l[1]).length());
                    add.addBatch();
                }
                add.executeBatch();
            }
            long last = (Long) links.getLast()[0];
            Rows.update(search, "UPDATE identity_link_search_state SET indexed_through = ? WHERE id = 1", last);
            return new Moved(last, links.size(), removedThrough);
        });
        if (moved.indexedThrough() != prunedThrough || moved.removedThrough() > 0) {
            db.writeDerived(c -> {
                Rows.update(c, "DELETE FROM identity_link_search_pending WHERE id <= ?", moved.indexedThrough());
                Rows.update(c, "DELETE FROM identity_link_search_removals WHERE id <= ?", moved.removedThrough());
                return Rows.update(c, "UPDATE identity_link_search_state SET pruned_through = ? WHERE id = 1", moved.indexedThrough());
            });
            prunedThrough = moved.indexedThrough();
        }
        return moved.indexed();
    }

    /**
     * Takes the links an erasure just deleted out of the index at once, rather than at the stage's next step, and
     * deletes the copies of their values the removals queue held. No-op where the database keeps its index itself.
     */
    public void removeErased() {
        if (index == null) return;
        long through = index.write(this::applyRemovals);
        if (through > 0) db.write(c -> Rows.update(c, "DELETE FROM identity_link_search_removals WHERE id <= ?", through));
    }

    /** Applies every queued removal to the index (read from the database); answers the last one's id, 0 for none. */
    private long applyRemovals(Connection search) throws SQLException {
        List<Object[]> removals = db.read(c -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, value, profile_id, type FROM identity_link_search_removals ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
            return out;
        });
        if (removals.isEmpty()) return 0;
        // FTS5's delete command needs the row's own values to find its entries (secure-delete then removes them from
        // the segments): the value's phrase, profile, type and length single the link's row out
        try (PreparedStatement remove = search.prepareStatement("INSERT INTO identity_link_search (identity_link_search, rowid,"
                + " value, profile_id, type, value_length) SELECT 'delete', rowid, ?, profile_id, type, value_length"
                + " FROM identity_link_search WHERE identity_link_search MATCH ? AND profile_id = ? AND type = ?"
                + " AND value_length = ?")) {
            for (Object[] r : removals) {
                String value = (String) r[1];
                Rows.setParams(remove, value, '"' + value.replace("\"", "\"\"") + '"', r[2], r[3], value.length());
                remove.executeUpdate();
            }
        }
        return (Long) removals.getLast()[0];
    }

    private static long indexedThrough(Connection search) throws SQLException {
        Long through = Rows.firstLong(search, "SELECT indexed_through FROM identity_link_search_state WHERE id = 1");
        return through == null ? 0 : through;
    }

    private static List<Object[]> waiting(Connection c, long after, int limit) throws SQLException {
        List<Object[]> links = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, value, profile_id, type FROM identity_link_search_pending"
                + " WHERE id > ? ORDER BY id LIMIT ?")) {
            Rows.setParams(ps, after, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) links.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        return links;
    }

    /**
     * Builds the index file again unless it was built for this database and got as far as the database says: started
     * empty at the point of the queue where every link was queued again, when nothing has left the queue since
     * (a new index file after the upgrade that made it, or a lost one before its first step), else with every link
     * queued again.
     */
    private void matchIndexFile() {
        record Mine(String generation, long queuedFrom, long prunedThrough) {
        }
        record File(String generation, long indexedThrough) {
        }
        Mine mine = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT generation, queued_from, pruned_through FROM identity_link_search_state WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Mine(rs.getString(1), rs.getLong(2), rs.getLong(3)) : null;
            }
        });
        long queued = db.read(PeopleSearchIndexStage::lastQueued);
        File file = index.write(search -> {
            try (PreparedStatement ps = search.prepareStatement("SELECT generation, indexed_through FROM identity_link_search_state WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new File(rs.getString(1), rs.getLong(2)) : null;
            }
        });
        if (mine != null && file != null && mine.generation().equals(file.generation())
                && file.indexedThrough() >= mine.prunedThrough() && file.indexedThrough() <= queued) {
            return;
        }
        if (mine != null && mine.prunedThrough() == mine.queuedFrom()) {
            startIndexFile(mine.generation(), mine.queuedFrom());
        } else {
            rebuild();
        }
    }

    /** The last id the queue of waiting links gave out (AUTOINCREMENT's record of it), 0 before the first. */
    private static long lastQueued(Connection c) throws SQLException {
        Long seq = Rows.firstLong(c, "SELECT seq FROM sqlite_sequence WHERE name = 'identity_link_search_pending'");
        return seq == null ? 0 : seq;
    }

    /**
     * Every link waits again, behind a new generation, and the index file starts empty at that point of the queue.
     * A crash between the two commits leaves them of different generations: the next start builds it again.
     */
    private void rebuild() {
        String generation = UUID.randomUUID().toString();
        long from = db.write(c -> {
            long before = lastQueued(c);
            Rows.update(c, "DELETE FROM identity_link_search_pending");
            Rows.update(c, "DELETE FROM identity_link_search_removals");
            Rows.update(c, "INSERT INTO identity_link_search_pending (value, profile_id, type)"
                    + " SELECT value, profile_id, type FROM identity_links WHERE length(value) >= 3");
            Rows.update(c, "DELETE FROM identity_link_search_state");
            Rows.update(c, "INSERT INTO identity_link_search_state (id, generation, queued_from, pruned_through) VALUES (1, ?, ?, ?)",
                    generation, before, before);
            return before;
        });
        startIndexFile(generation, from);
    }

    /** The index file emptied, for the database of {@code generation}, its links to be indexed from after {@code from}. */
    private void startIndexFile(String generation, long from) {
        index.write(search -> {
            Rows.update(search, "INSERT INTO identity_link_search (identity_link_search) VALUES ('delete-all')");
            Rows.update(search, "DELETE FROM identity_link_search_state");
            return Rows.update(search, "INSERT INTO identity_link_search_state (id, generation, indexed_through) VALUES (1, ?, ?)",
                    generation, from);
        });
    }
}
