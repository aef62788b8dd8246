package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.views.SavedView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Saved views: listed per workspace and page by name, replaced by name, deleted within their workspace only. */
public abstract class SavedViewStoreContract extends StoreContract {
    private Workspace ws;
    private Workspace other;

    @BeforeEach
    void workspaces() {
        ws = Fixtures.workspace("acme");
        other = Fixtures.workspace("globex");
        store.workspaces().create(ws);
        store.workspaces().create(other);
    }

    private SavedView view(Workspace w, String page, String name, String query, String by) {
        return new SavedView(Ids.savedView(), w.id(), page, name, query, by, Fixtures.T0);
    }

    @Test
    void viewsAreListedPerWorkspaceAndPageByName() {
        SavedView b = store.savedViews().save(view(ws, "attribution", "B: ad sets", "group_by=campaign&model=linear", "administrator"));
        SavedView a = store.savedViews().save(view(ws, "attribution", "A: channels", "group_by=channel", "user:usr_1"));
        store.savedViews().save(view(ws, "paths", "A: channels", "group_by=channel", "user:usr_1"));
        store.savedViews().save(view(other, "attribution", "A: channels", "group_by=source", "user:usr_2"));

        assertThat(store.savedViews().list(ws.id(), "attribution")).containsExactly(a, b);
        assertThat(store.savedViews().byId(ws.id(), b.id())).contains(b);
        assertThat(store.savedViews().byId(other.id(), b.id())).isEmpty();
        assertThat(store.savedViews().list(other.id(), "attribution")).singleElement()
                .satisfies(v -> assertThat(v.query()).isEqualTo("group_by=source"));
    }

    @Test
    void savingUnderATakenNameReplacesTheQueryAndKeepsTheId() {
        SavedView first = store.savedViews().save(view(ws, "attribution", "Weekly", "group_by=channel", "user:usr_1"));
        SavedView again = new SavedView(Ids.savedView(), ws.id(), "attribution", "Weekly", "group_by=platform&window=7",
                "user:usr_2", Fixtures.T0.plusSeconds(60));
        SavedView stored = store.savedViews().save(again);

        assertThat(stored.id()).isEqualTo(first.id());
        assertThat(stored.query()).isEqualTo("group_by=platform&window=7");
        assertThat(stored.createdBy()).isEqualTo("user:usr_2");
        assertThat(stored.createdAt()).isEqualTo(Fixtures.T0.plusSeconds(60));
        assertThat(store.savedViews().list(ws.id(), "attribution")).containsExactly(stored);
    }

    @Test
    void aViewIsDeletedOnlyInItsOwnWorkspace() {
        SavedView v = store.savedViews().save(view(ws, "attribution", "Weekly", "group_by=channel", "administrator"));
        assertThat(store.savedViews().delete(other.id(), v.id())).isFalse();
        assertThat(store.savedViews().list(ws.id(), "attribution")).hasSize(1);
        assertThat(store.savedViews().delete(ws.id(), v.id())).isTrue();
        assertThat(store.savedViews().delete(ws.id(), v.id())).isFalse();
        assertThat(store.savedViews().list(ws.id(), "attribution")).isEmpty();
    }
}
