package io.touchpoint.storage.jdbc.ledger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a stage that follows the identity stage owes an event identity resolved out of order (a set-aside event
 * retried), done in the transaction that resolved it: at that moment the follower's cursor is either past the event,
 * which it then skipped unresolved and handles now, or not yet, and its next step takes the event in order. Either
 * way the event is handled once.
 */
@FunctionalInterface
public interface LateResolution {
    void resolved(Connection c, long seq) throws SQLException;
}
