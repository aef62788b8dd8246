package io.touchpoint.tests;

import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditCursor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.core.audit.Target;
import io.touchpoint.core.store.AuditLog;
import io.touchpoint.core.store.Page;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log: entries kept whole (actor, address, request, workspace, target, detail), numbered in append order,
 * read newest first in pages that neither skip nor repeat an entry, filtered by time, actor, action (one or a family)
 * and workspace alone or together, and purged by age only.
 */
public abstract class AuditLogContract extends StoreContract {
    private static final Actor ADMIN = Actor.administrator("administrator token");
    private static final Actor TOKEN = new Actor(Actor.Kind.TOKEN, "tok_1", "ci");
    private static final Actor USER = Actor.user("usr_1", "ann@example.com");

    private static AuditEntry entry(Instant at, Actor actor, String workspace, String action) {
        return new AuditEntry(0, at, actor, "203.0.113.7", "req_" + at.toEpochMilli(), workspace, action,
                new Target("token", "tok_9"), Map.of("fields", List.of("name", "scopes")));
    }

    @Test
    void anEntryComesBackWholeWithAnIdInAppendOrder() {
        AuditLog log = store.audit();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("fields", List.of("settings.access_token", "name"));
        detail.put("name", "Meta – shop");
        detail.put("replayed", 12);
        detail.put("enabled", true);
        AuditEntry first = log.append(new AuditEntry(0, Fixtures.T0, Actor.token(Fixtures.token(Fixtures.workspace("x"),
                java.util.Set.of(io.touchpoint.core.model.Scope.READ))), "2001:db8::1", "req_a", "ws_1",
                "destination.created", new Target("destination", "dst_1"), detail));
        AuditEntry second = log.append(new AuditEntry(0, Fixtures.T0, ADMIN, null, null, null, "session.signed_in", null, null));
        assertThat(first.id()).isPositive();
        assertThat(second.id()).isGreaterThan(first.id());

        List<AuditEntry> read = log.search(AuditQuery.latest(10)).items();
        assertThat(read).containsExactly(second, first); // same time: the later append first
        AuditEntry back = read.get(1);
        assertThat(back.actor()).isEqualTo(new Actor(Actor.Kind.TOKEN, first.actor().id(), "ci"));
        assertThat(back.clientAddress()).isEqualTo("2001:db8::1");
        assertThat(back.requestId()).isEqualTo("req_a");
        assertThat(back.workspaceId()).isEqualTo("ws_1");
        assertThat(back.target()).isEqualTo(new Target("destination", "dst_1"));
        assertThat(back.detail()).containsEntry("fields", List.of("settings.access_token", "name"))
                .containsEntry("name", "Meta – shop").containsEntry("replayed", 12).containsEntry("enabled", true);
        assertThat(read.get(0).target()).isNull();
        assertThat(read.get(0).workspaceId()).isNull();
        assertThat(read.get(0).detail()).isEmpty();
    }

    @Test
    void pagesGoNewestFirstAndNeitherSkipNorRepeatEntriesOfTheSameMillisecond() {
        AuditLog log = store.audit();
        List<Long> appended = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // three entries per millisecond, so a page boundary falls inside one
            appended.add(log.append(entry(Fixtures.T0.plusMillis(i / 3), ADMIN, "ws_1", "token.created")).id());
        }
        List<Long> read = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            AuditCursor after = cursor == null ? null : AuditCursor.parse(cursor).orElseThrow();
            Page<AuditEntry> page = log.search(new AuditQuery(null, null, null, null, null, null, after, 5));
            page.items().forEach(e -> read.add(e.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(5);
        assertThat(read).isEqualTo(appended.reversed());
    }

    @Test
    void filtersKeepWhatTheyNameAloneOrTogether() {
        AuditLog log = store.audit();
        String[] actions = {"token.created", "token.revoked", "destination.created", "destination.updated",
                "set_aside.retried", "settings.changed", "session.sign_in_failed"};
        Actor[] actors = {ADMIN, TOKEN, USER, new Actor(Actor.Kind.TOKEN, "tok_2", "backend")};
        String[] workspaces = {"ws_1", "ws_2", null};
        Random random = new Random(29);
        List<AuditEntry> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            all.add(log.append(entry(Fixtures.T0.plusSeconds(random.nextInt(600)), actors[random.nextInt(actors.length)],
                    workspaces[random.nextInt(workspaces.length)], actions[random.nextInt(actions.length)])));
        }
        Instant from = Fixtures.T0.plusSeconds(100), to = Fixtures.T0.plusSeconds(400);
        List<AuditQuery> queries = List.of(
                new AuditQuery(from, to, null, null, null, null, null, 500),
                new AuditQuery(null, null, Actor.Kind.TOKEN, null, null, null, null, 500),
                new AuditQuery(null, null, Actor.Kind.TOKEN, "tok_2", null, null, null, 500),
                new AuditQuery(null, null, null, null, "token.revoked", null, null, 500),
                new AuditQuery(null, null, null, null, "destination.*", null, null, 500),
                new AuditQuery(null, null, null, null, "set_aside.*", null, null, 500),
                new AuditQuery(null, null, null, null, null, "ws_2", null, 500),
                new AuditQuery(from, to, Actor.Kind.ADMINISTRATOR, Actor.ADMINISTRATOR_ID, "token.*", "ws_1", null, 500));
        for (AuditQuery q : queries) {
            List<AuditEntry> expected = all.stream().filter(e -> matches(q, e))
                    .sorted(java.util.Comparator.comparing(AuditEntry::at).thenComparingLong(AuditEntry::id).reversed()).toList();
            assertThat(expected).as("the fixture has entries for %s", q).isNotEmpty();
            assertThat(log.search(q).items()).as(q.toString()).isEqualTo(expected);
        }
        assertThat(log.search(new AuditQuery(null, null, null, null, "token.*", null, null, 500)).items())
                .allSatisfy(e -> assertThat(e.action()).startsWith("token."));
    }

    /** What a query asks for, written plainly: the oracle the store's SQL is compared with. */
    private static boolean matches(AuditQuery q, AuditEntry e) {
        return (q.from() == null || !e.at().isBefore(q.from()))
                && (q.to() == null || e.at().isBefore(q.to()))
                && (q.actorKind() == null || e.actor().kind() == q.actorKind())
                && (q.actorId() == null || q.actorId().equals(e.actor().id()))
                && (q.action() == null || (q.action().endsWith(".*")
                        ? e.action().startsWith(q.action().substring(0, q.action().length() - 1))
                        : q.action().equals(e.action())))
                && (q.workspaceId() == null || q.workspaceId().equals(e.workspaceId()));
    }

    @Test
    void aFamilyFilterTakesNoLongerWordThatStartsTheSameAndNoUnderscoreWildcard() {
        AuditLog log = store.audit();
        log.append(entry(Fixtures.T0, ADMIN, null, "token.created"));
        log.append(entry(Fixtures.T0, ADMIN, null, "tokens_export.created"));
        log.append(entry(Fixtures.T0, ADMIN, null, "set_aside.retried"));
        log.append(entry(Fixtures.T0, ADMIN, null, "setxaside.retried"));
        assertThat(log.search(new AuditQuery(null, null, null, null, "token.*", null, null, 10)).items())
                .extracting(AuditEntry::action).containsExactly("token.created");
        assertThat(log.search(new AuditQuery(null, null, null, null, "set_aside.*", null, null, 10)).items())
                .extracting(AuditEntry::action).containsExactly("set_aside.retried");
    }

    @Test
    void aPurgeRemovesOnlyWhatIsOlderThanItsLimit() {
        AuditLog log = store.audit();
        Instant limit = Fixtures.T0.plus(Duration.ofDays(400));
        log.append(entry(limit.minusMillis(1), ADMIN, null, "token.created"));
        AuditEntry atLimit = log.append(entry(limit, ADMIN, null, "token.revoked"));
        AuditEntry newer = log.append(entry(limit.plusSeconds(5), ADMIN, null, "token.revoked"));
        assertThat(log.purge(limit)).isEqualTo(1);
        assertThat(log.search(AuditQuery.latest(10)).items()).containsExactly(newer, atLimit);
        assertThat(log.purge(limit)).isZero();
    }
}
