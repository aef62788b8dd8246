package io.touchpoint.tests;

import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** API tokens: stored by hash, listed per workspace, revoked once, last use only moves forward. */
public abstract class TokenStoreContract extends StoreContract {
    private Workspace ws;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    @Test
    void tokenIsFoundByItsHashAndIdWithItsScopes() {
        ApiToken t = Fixtures.token(ws, Set.of(Scope.INGEST));
        store.tokens().create(t, "hash-1");

        assertThat(store.tokens().byHash("hash-1")).contains(t);
        assertThat(store.tokens().byId(t.id())).contains(t);
        assertThat(store.tokens().byHash("hash-2")).isEmpty();
    }

    @Test
    void listShowsOnlyTheWorkspacesOwnTokens() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        ApiToken mine = Fixtures.token(ws, Scope.ALL);
        ApiToken theirs = Fixtures.token(other, Scope.ALL);
        store.tokens().create(mine, "h1");
        store.tokens().create(theirs, "h2");

        assertThat(store.tokens().list(ws.id())).containsExactly(mine);
        assertThat(store.tokens().list(other.id())).containsExactly(theirs);
    }

    @Test
    void revokeMarksTheTokenOnceAndKeepsItListed() {
        ApiToken t = Fixtures.token(ws, Scope.ALL);
        store.tokens().create(t, "h1");
        Instant at = Fixtures.T0.plusSeconds(60);

        assertThat(store.tokens().revoke(t.id(), at)).isTrue();
        assertThat(store.tokens().revoke(t.id(), at.plusSeconds(1))).isFalse();
        assertThat(store.tokens().revoke("tok_unknown", at)).isFalse();
        assertThat(store.tokens().byHash("h1")).hasValueSatisfying(x -> {
            assertThat(x.revoked()).isTrue();
            assertThat(x.revokedAt()).isEqualTo(at);
        });
    }

    @Test
    void lastUseIsRecordedAndNeverGoesBackwards() {
        ApiToken t = Fixtures.token(ws, Scope.ALL);
        store.tokens().create(t, "h1");
        Instant later = Fixtures.T0.plusSeconds(100);

        store.tokens().touch(Map.of(t.id(), later));
        store.tokens().touch(Map.of(t.id(), Fixtures.T0.plusSeconds(5)));
        store.tokens().touch(Map.of());

        assertThat(store.tokens().byId(t.id()).orElseThrow().lastUsedAt()).isEqualTo(later);
    }
}
