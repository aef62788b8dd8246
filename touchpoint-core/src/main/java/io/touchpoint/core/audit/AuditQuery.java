package io.touchpoint.core.audit;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A search of the audit log, newest first. Null filters match everything. {@code from} is inclusive, {@code to}
 * exclusive. {@code actorKind} keeps one kind of actor, and {@code actorId}, when set as well, one actor of it.
 * {@code action} is an action name ({@code token.revoked}) or a family of them ({@code destination.*}). {@code after}
 * is where the previous page ended (null for the first page).
 */
public record AuditQuery(Instant from, Instant to, Actor.Kind actorKind, String actorId, String action,
                         String workspaceId, AuditCursor after, int limit) {
    public static final int MAX_LIMIT = 500;
    /** An action name, or a family of them: its first words and {@code .*}. */
    public static final Pattern ACTION_FILTER = Pattern.compile("[a-z][a-z_]*((\\.[a-z][a-z_]*)+|(\\.[a-z][a-z_]*)*\\.\\*)");

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        if (actorId != null && actorKind == null) throw new IllegalArgumentException("an actor id needs its kind");
        if (action != null && !ACTION_FILTER.matcher(action).matches()) {
            throw new IllegalArgumentException("not an action or a family of actions (such as destination.*): " + action);
        }
    }

    /** The first page of everything, {@code limit} entries. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, limit);
    }

    /** For a family ({@code destination.*}): the prefix its actions start with ({@code destination.}). */
    public Optional<String> actionPrefix() {
        return action != null && action.endsWith(".*") ? Optional.of(action.substring(0, action.length() - 1)) : Optional.empty();
    }
}
