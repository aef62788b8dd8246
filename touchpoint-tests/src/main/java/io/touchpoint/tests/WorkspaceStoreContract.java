package io.touchpoint.tests;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
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
    void updatedSettingsAreReadBackAndTouchOnlyThatWorkspace() {
        Workspace a = Fixtures.workspace("a");
        Workspace b = Fixtures.workspace("b");
        store.workspaces().create(a);
        store.workspaces().create(b);
        WorkspaceSettings changed = new WorkspaceSettings("Europe/Paris", "EUR", "FR", 600);

        assertThat(store.workspaces().updateSettings(a.id(), changed)).isTrue();

        Workspace read = store.workspaces().byId(a.id()).orElseThrow();
        assertThat(read.settings()).isEqualTo(changed);
        assertThat(read.name()).isEqualTo(a.name());
        assertThat(read.pixelKey()).isEqualTo(a.pixelKey());
        assertThat(read.createdAt()).isEqualTo(a.createdAt());
        assertThat(store.workspaces().byId(b.id())).contains(b);
        assertThat(store.workspaces().byPixelKey(a.pixelKey()).orElseThrow().settings()).isEqualTo(changed);
    }

    @Test
    void updatingTheSettingsOfNoWorkspaceIsFalse() {
        assertThat(store.workspaces().updateSettings("ws_nope", WorkspaceSettings.DEFAULTS)).isFalse();
        assertThat(store.workspaces().list()).isEmpty();
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
