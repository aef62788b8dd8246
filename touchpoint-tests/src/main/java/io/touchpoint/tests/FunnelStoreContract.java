package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Funnels: found by mark and id, listed per workspace, revoked once, marks unique. */
public abstract class FunnelStoreContract extends StoreContract {
    private Workspace ws;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    private Funnel funnel(Workspace w, String mark) {
        return new Funnel(Ids.funnel(), w.id(), "checkout", mark, Fixtures.T0, null);
    }

    @Test
    void aFunnelIsFoundByItsMarkAndId() {
        Funnel f = funnel(ws, "fm_1");
        store.funnels().create(f);

        assertThat(store.funnels().byMark("fm_1")).contains(f);
        assertThat(store.funnels().byId(f.id())).contains(f);
        assertThat(store.funnels().byMark("fm_2")).isEmpty();
    }

    @Test
    void listShowsOnlyTheWorkspacesOwnFunnels() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        Funnel mine = funnel(ws, "fm_1");
        Funnel theirs = funnel(other, "fm_2");
        store.funnels().create(mine);
        store.funnels().create(theirs);

        assertThat(store.funnels().list(ws.id())).containsExactly(mine);
        assertThat(store.funnels().list(other.id())).containsExactly(theirs);
    }

    @Test
    void revokeMarksTheFunnelOnce() {
        Funnel f = funnel(ws, "fm_1");
        store.funnels().create(f);

        assertThat(store.funnels().revoke(f.id(), Fixtures.T0.plusSeconds(5))).isTrue();
        assertThat(store.funnels().revoke(f.id(), Fixtures.T0.plusSeconds(6))).isFalse();
        assertThat(store.funnels().byMark("fm_1").orElseThrow().revokedAt()).isEqualTo(Fixtures.T0.plusSeconds(5));
    }

    @Test
    void twoFunnelsCannotShareAMark() {
        store.funnels().create(funnel(ws, "fm_1"));
        assertThatThrownBy(() -> store.funnels().create(funnel(ws, "fm_1"))).isInstanceOf(RuntimeException.class);
        assertThat(store.funnels().list(ws.id())).hasSize(1);
    }
}
