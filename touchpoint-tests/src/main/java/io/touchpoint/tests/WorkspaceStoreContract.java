package io.touchpoint.tests;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.DuplicateNameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Workspaces: create, find by id, name and pixel key, list, unique names. */
public abstract class WorkspaceStoreContract extends StoreContract {

    @Test
    void createdWorkspaceIsFoundByIdNameAndPixelKeyWithItsSettings() {
        Workspace w = Fixtures.workspace("acme");
        store.workspaces().create(w);

        assertThat(store.workspaces().byId(w.id())).contains(w);
        assertThat(store.workspaces().byName("acme")).contains(w);
        assertThat(store.workspaces().byPixelKey(w.pixelKey())).contains(w);
        assertThat(store.workspaces().byIdOrName(w.id())).contains(w);
        assertThat(store.workspaces().byIdOrName("acme")).contains(w);
    }

    @Test
    void unknownWorkspaceIsEmpty() {
        assertThat(store.workspaces().byId("ws_nope")).isEmpty();
        assertThat(store.workspaces().byName("nope")).isEmpty();
        assertThat(store.workspaces().byPixelKey("px_nope")).isEmpty();
    }

    @Test
    void listReturnsEveryWorkspaceInCreationOrder() {
        Workspace a = Fixtures.workspace("a");
        Workspace b = Fixtures.workspace("b");
        store.workspaces().create(a);
        store.workspaces().create(b);

        assertThat(store.workspaces().list()).containsExactly(a, b);
    }

    @Test
    void aSecondWorkspaceWithTheSameNameIsRefusedAndTheFirstIsKept() {
        Workspace first = Fixtures.workspace("acme");
        store.workspaces().create(first);
        Workspace second = new Workspace("ws_other", "acme", "px_other", first.createdAt(), first.settings());

        assertThatThrownBy(() -> store.workspaces().create(second)).isInstanceOf(DuplicateNameException.class);
        assertThat(store.workspaces().list()).containsExactly(first);
    }
}
