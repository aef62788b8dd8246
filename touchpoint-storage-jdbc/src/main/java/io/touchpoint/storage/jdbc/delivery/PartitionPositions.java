package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The delivery routing stage's positions by ingest log partition (Kafka mode, docs/SCALING.md): a row per partition
 * in {@code stage_partition_cursors}, added with the partition's first stored events, beside the global cursor in
 * {@code delivery_cursor}, which follows the events stored without a partition. A track's position moves only in the
 * transaction of its outbox rows, and only from where its step read it.
 */
final class PartitionPositions {
    /**
     * The highest sequence number up to which the stage has routed every event: its global cursor, and just below the
     * first unrouted event of each partition. Without Kafka the positions follow the global cursor, and this is it.
     */
    static final String FRONTIER = "SELECT MIN(f.seq) FROM (SELECT seq FROM delivery_cursor WHERE id = 1"
            + " UNION ALL SELECT (SELECT MIN(e.seq) FROM events e WHERE e.log_partition = s.log_partition AND e.seq > s.seq) - 1"
            + " FROM stage_partition_cursors s WHERE s.stage = 'delivery') f";

    private PartitionPositions() {
    }

    /** The stage's position in a partition (its global cursor for null); null when nothing was stored from the partition. */
    static Long position(Connection c, Integer partition) throws SQLException {
        return partition == null ? Rows.firstLong(c, "SELECT seq FROM delivery_cursor WHERE id = 1")
                : Rows.firstLong(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'delivery' AND log_partition = ?", partition);
    }

    /** How far the attribution stage has gone in a partition (its global cursor for null): the track routes up to there. */
    static Long attributed(Connection c, Integer partition) throws SQLException {
        return partition == null ? Rows.firstLong(c, "SELECT seq FROM attribution_cursor WHERE id = 1")
                : Rows.firstLong(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'attribution' AND log_partition = ?", partition);
    }

    /**
     * Moves a track's position from {@code from} to {@code to}; false when it is no longer at {@code from} (another
     * process routed that stretch since the step read it). Taken first in the transaction: the row stays locked to the
     * commit, so two processes stepping one track for a moment (a rebalance) take turns and the second finds it moved.
     */
    static boolean claim(Connection c, Integer partition, long from, long to) throws SQLException {
        return partition == null
                ? Rows.update(c, "UPDATE delivery_cursor SET seq = ? WHERE id = 1 AND seq = ?", to, from) == 1
                : Rows.update(c, "UPDATE stage_partition_cursors SET seq = ? WHERE stage = 'delivery' AND log_partition = ?"
                + " AND seq = ?", to, partition, from) == 1;
    }

    /**
     * Without Kafka the global cursor routes every event, those of a partition too (a store that ran in Kafka mode
     * before), so the partitions' positions follow it, and Kafka mode started again routes none of them twice.
     */
    static void followGlobal(Connection c, long cursor) throws SQLException {
        Rows.update(c, "UPDATE stage_partition_cursors SET seq = ? WHERE stage = 'delivery' AND seq < ?", cursor, cursor);
    }

    /** Whether the stage has passed the event: its partition's position, or the global cursor for one without. */
    static boolean reached(Connection c, long seq) throws SQLException {
        Long position = Rows.firstLong(c, "SELECT COALESCE((SELECT s.seq FROM events e JOIN stage_partition_cursors s"
                + " ON s.stage = 'delivery' AND s.log_partition = e.log_partition WHERE e.seq = ?),"
                + " (SELECT seq FROM delivery_cursor WHERE id = 1))", seq);
        return position != null && position >= seq;
    }
}
