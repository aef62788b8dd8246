package io.touchpoint.core.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the audit log: when, who, from which address (the client's, behind a trusted proxy the one it names),
 * under which request id, in which workspace (null when the action is not a workspace's, e.g. a sign-in), what
 * ({@code action}, a dotted name such as {@code token.created}), to what ({@code target}, null when nothing in
 * particular), and a small {@code detail}. The detail names the fields a change set and keeps only values that are
 * no secret (names, types, counts): it never holds a token, a password, a platform credential or a webhook secret.
 * {@code id} is the store's, in append order (0 before it is appended).
 */
public record AuditEntry(long id, Instant at, Actor actor, String clientAddress, String requestId, String workspaceId,
                         String action, Target target, Map<String, Object> detail) {
    /** Lower-case words joined by dots: {@code destination.created}, {@code session.sign_in_failed}. */
    public static final Pattern ACTION = Pattern.compile("[a-z][a-z_]*(\\.[a-z][a-z_]*)+");

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        if (!ACTION.matcher(action).matches()) throw new IllegalArgumentException("not an action name: " + action);
        Map<String, Object> kept = new LinkedHashMap<>();
        if (detail != null) detail.forEach((k, v) -> {
            if (v != null) kept.put(k, v);
        });
        detail = Collections.unmodifiableMap(kept);
    }

    /** The same entry as the store numbered it. */
    public AuditEntry withId(long storeId) {
        return new AuditEntry(storeId, at, actor, clientAddress, requestId, workspaceId, action, target, detail);
    }
}
