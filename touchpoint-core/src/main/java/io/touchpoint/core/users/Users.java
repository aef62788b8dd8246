package io.touchpoint.core.users;

import io.touchpoint.core.admin.NotFoundException;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.User;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.normalize.Emails;
import io.touchpoint.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Dashboard users, shared by the command line and the admin API: invited by an owner through a one-time link (no
 * mail: the link is shown to whoever invites), reset the same way, and signed in with their e-mail and password. At
 * least one active owner of every workspace always remains once there is one. Checks and changes are serialised
 * within this process; two processes changing the same owners at the same instant could each pass the last-owner
 * check, which the administrator token can always repair.
 */
public final class Users {
    /** How long an invitation or reset link can be used: long enough to reach someone over a weekend. */
    public static final Duration LINK_LIFETIME = Duration.ofDays(7);
    /** Link tokens start with this so that they are recognisable in logs and secret scanners. */
    public static final String LINK_PREFIX = "tpi_";
    private final Store store;
    private final Clock clock;

    /** A user and the token of their one-time link, which only this answer carries. */
    public record Invitation(User user, String token, Instant expiresAt) {
    }

    public Users(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * A new user with a link to choose their password.
     *
     * @param workspaces ids or names of the workspaces the role holds in; ignored when {@code allWorkspaces}
     * @throws IllegalArgumentException         for a malformed e-mail or no workspace
     * @throws NotFoundException                for a workspace that does not exist
     * @throws io.touchpoint.core.store.DuplicateNameException when a user has the e-mail already
     */
    public synchronized Invitation invite(String email, Role role, boolean allWorkspaces, Collection<String> workspaces) {
        String clean = Emails.normalize(email).orElseThrow(() -> new IllegalArgumentException("not an e-mail address"));
        User u = new User(Ids.user(), clean, role, allWorkspaces, workspaceIds(allWorkspaces, workspaces), now(), null);
        store.users().create(u);
        return link(u);
    }

    public List<User> list() {
        return store.users().list();
    }

    public Optional<User> byEmail(String email) {
        return Emails.normalize(email).flatMap(e -> store.users().byEmail(e));
    }

    /** By id, or by e-mail. */
    public User require(String idOrEmail) {
        Optional<User> u = idOrEmail == null ? Optional.empty() : store.users().byId(idOrEmail.strip());
        return u.or(() -> byEmail(idOrEmail)).orElseThrow(() -> new NotFoundException("no user '" + idOrEmail + "'"));
    }

    /**
     * Changes a user's role or workspaces; a null argument keeps what they have.
     *
     * @throws LastOwnerException when it would leave no active owner of every workspace
     */
    public synchronized User changeAccess(String idOrEmail, Role role, Boolean allWorkspaces, Collection<String> workspaces) {
        User u = require(idOrEmail);
        boolean all = allWorkspaces != null ? allWorkspaces : workspaces == null && u.allWorkspaces();
        Set<String> ids = all ? Set.of() : workspaces == null ? u.workspaceIds() : workspaceIds(false, workspaces);
        User next = u.withAccess(role == null ? u.role() : role, all, ids);
        if (u.ownsEverything() && !next.ownsEverything()) keepAnOwner(u, "demoted");
        if (!store.users().updateAccess(next)) throw new NotFoundException("no user '" + idOrEmail + "'");
        return next;
    }

    /** A fresh one-time link for the user to choose a new password; the link they had stops working. */
    public synchronized Invitation resetLink(String idOrEmail) {
        return link(require(idOrEmail));
    }

    /**
     * Removes the user and ends their sessions.
     *
     * @throws LastOwnerException when they are the last active owner of every workspace
     */
    public synchronized User remove(String idOrEmail) {
        User u = require(idOrEmail);
        keepAnOwner(u, "removed");
        if (!store.users().delete(u.id())) throw new NotFoundException("no user '" + idOrEmail + "'");
        return u;
    }

    /**
     * Sets the password of the link's user, which ends their other sessions and uses the link up.
     *
     * @throws IllegalArgumentException when the password breaks the policy (the link stays usable)
     * @throws InvalidLinkException     when the link is unknown, used or expired
     */
    public User accept(String token, String password) {
        Passwords.policyViolation(password).ifPresent(v -> {
            throw new IllegalArgumentException(v);
        });
        if (token == null || token.length() > 200) throw new InvalidLinkException("this link is not valid");
        String userId = store.users().redeemLink(Secrets.sha256Hex(token), Passwords.hash(password), now())
                .orElseThrow(() -> new InvalidLinkException("this link is not valid: it was used already, it expired, "
                        + "or a newer one replaced it; ask an owner for a new one"));
        return store.users().byId(userId).orElseThrow(() -> new InvalidLinkException("this user was removed"));
    }

    /**
     * The active user with this e-mail and password. It takes as long whether or not the e-mail exists, so a caller
     * cannot learn which e-mails have accounts from the time an answer takes.
     */
    public Optional<User> signIn(String email, String password) {
        Optional<User> u = byEmail(email).filter(User::active);
        Optional<String> hash = u.flatMap(x -> store.users().passwordHash(x.id()));
        if (hash.isEmpty()) {
            Passwords.verifyNothing(password);
            return Optional.empty();
        }
        return Passwords.verify(password, hash.get()) ? u : Optional.empty();
    }

    /** Drops the links that can no longer be used. */
    public int purgeExpiredLinks() {
        return store.users().deleteExpiredLinks(now());
    }

    private Invitation link(User u) {
        String token = LINK_PREFIX + Secrets.random(43); // ≈ 256 bits
        Instant expires = now().plus(LINK_LIFETIME);
        store.users().putLink(u.id(), Secrets.sha256Hex(token), expires);
        return new Invitation(u, token, expires);
    }

    private void keepAnOwner(User changed, String how) {
        if (!changed.ownsEverything() || !changed.active()) return;
        boolean another = store.users().list().stream()
                .anyMatch(o -> !o.id().equals(changed.id()) && o.ownsEverything() && o.active());
        if (!another) {
            throw new LastOwnerException(changed.email() + " is the last owner of every workspace and cannot be " + how
                    + "; make another user an owner of all workspaces first");
        }
    }

    private Set<String> workspaceIds(boolean all, Collection<String> workspaces) {
        if (all) return Set.of();
        if (workspaces == null || workspaces.isEmpty()) {
            throw new IllegalArgumentException("a user needs at least one workspace, or all of them");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String w : workspaces) {
            Workspace ws = store.workspaces().byIdOrName(w)
                    .orElseThrow(() -> new NotFoundException("no workspace with id or name '" + w + "'"));
            ids.add(ws.id());
        }
        return ids;
    }

    /** Milliseconds: what the stores keep, so an answer at creation equals the same thing read back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
