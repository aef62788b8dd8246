package io.touchpoint.tests;

import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.Workspace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-workspace pixel settings: defaults, replace, and no crossing between workspaces. */
public abstract class PixelSettingsStoreContract extends StoreContract {

    @Test
    void defaultsUntilSet() {
        Workspace w = Fixtures.workspace("pixel-defaults");
        store.workspaces().create(w);
        assertThat(store.pixelSettings().get(w.id())).isEqualTo(PixelSettings.DEFAULTS);
    }

    @Test
    void putReplacesAndStaysInItsWorkspace() {
        Workspace a = Fixtures.workspace("pixel-a");
        Workspace b = Fixtures.workspace("pixel-b");
        store.workspaces().create(a);
        store.workspaces().create(b);
        store.pixelSettings().put(a.id(), new PixelSettings(List.of("https://shop.example.com", "http://localhost:8080"),
                List.of("example.com", "checkout.example.net")));
        assertThat(store.pixelSettings().get(a.id())).isEqualTo(new PixelSettings(
                List.of("https://shop.example.com", "http://localhost:8080"), List.of("example.com", "checkout.example.net")));
        store.pixelSettings().put(a.id(), new PixelSettings(List.of(), List.of("example.org")));
        assertThat(store.pixelSettings().get(a.id())).isEqualTo(new PixelSettings(List.of(), List.of("example.org")));
        assertThat(store.pixelSettings().get(b.id())).isEqualTo(PixelSettings.DEFAULTS);
    }

    @Test
    void keepsTheCookieDomains() {
        Workspace a = Fixtures.workspace("pixel-cookie");
        store.workspaces().create(a);
        PixelSettings s = new PixelSettings(List.of(), List.of("example.com"), List.of("shop.example.com", "example.co.uk"));
        store.pixelSettings().put(a.id(), s);
        assertThat(store.pixelSettings().get(a.id())).isEqualTo(s);
        assertThat(store.pixelSettings().get(a.id()).cookieDomains()).containsExactly("shop.example.com", "example.co.uk");
        store.pixelSettings().put(a.id(), new PixelSettings(List.of(), List.of("example.com")));
        assertThat(store.pixelSettings().get(a.id()).cookieDomains()).isEmpty();
    }
}
