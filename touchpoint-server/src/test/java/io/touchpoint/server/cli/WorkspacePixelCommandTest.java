package io.touchpoint.server.cli;

import io.touchpoint.server.support.Cli;
import io.touchpoint.server.support.Cli.Run;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code touchpoint workspace pixel} shows and changes the pixel settings in a real embedded store. */
class WorkspacePixelCommandTest {
    @TempDir
    Path data;

    /** The commands need a store: {@code serve} makes it on its first start. */
    @BeforeEach
    void createStore() {
        SqliteStore.inFolder(data).close();
    }

    @Test
    void showsSetsAndClearsTheAllowListAndDomains() {
        assertThat(run("workspace", "create", "acme").exit()).isZero();
        Run shown = run("workspace", "pixel", "acme");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("allowed origins  (any)").contains("domains          (none)");

        Run set = run("workspace", "pixel", "acme", "--allowed-origins", "https://shop.example.com,http://localhost:8000",
                "--domains", "example.com,example.net", "--json");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.json()).containsEntry("allowed_origins", List.of("https://shop.example.com", "http://localhost:8000"))
                .containsEntry("domains", List.of("example.com", "example.net"));

        Run cleared = run("workspace", "pixel", "acme", "--allowed-origins", "", "--json");
        assertThat(cleared.exit()).as(cleared.err()).isZero();
        assertThat(cleared.json()).containsEntry("allowed_origins", List.of())
                .containsEntry("domains", List.of("example.com", "example.net"));

        Run bad = run("workspace", "pixel", "acme", "--allowed-origins", "shop.example.com");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("is not an origin");
    }

    @Test
    void setsTheCookieDomainsAndPrintsTheFirstPartySnippet() {
        assertThat(run("workspace", "create", "globex").exit()).isZero();
        Run set = run("workspace", "pixel", "globex", "--cookie-domains", "shop.example.com");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("cookie domains   shop.example.com")
                .containsPattern("first-party      <script async src=\"/t/a\\.js\\?key=px_[A-Za-z0-9]+\"></script>");
        Run json = run("workspace", "pixel", "globex", "--json");
        assertThat(json.json()).containsEntry("cookie_domains", List.of("shop.example.com"))
                .containsKey("first_party_snippet").containsEntry("domains", List.of());
        Run bad = run("workspace", "pixel", "globex", "--cookie-domains", "co.uk");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("public suffix");
    }

    private Run run(String... args) {
        return Cli.on(data, args);
    }
}
