package io.touchpoint.server.cli;

import io.touchpoint.server.support.Cli;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.SignedIn;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code touchpoint user invite|list|remove} against a real embedded store: the printed link works on a server on
 * the same store, and the last owner of every workspace is kept.
 */
class UserCommandTest {
    @TempDir
    Path data;

    @BeforeEach
    void createStore() {
        SqliteStore.inFolder(data).close();
    }

    private Cli.Run run(String... args) {
        return Cli.on(data, args);
    }

    @Test
    void anInvitationLinkFromTheCommandLineLetsTheUserSignIn() {
        run("workspace", "create", "acme");
        Cli.Run invited = run("user", "invite", "Ana@Example.com", "--role", "analyst", "--workspace", "acme",
                "--url", "https://touchpoint.example.com/");
        assertThat(invited.exit()).as(invited.toString()).isZero();
        assertThat(invited.out()).contains("user ana@example.com invited", "as analyst",
                "https://touchpoint.example.com/invite/tpi_");
        String link = invited.out().lines().filter(l -> l.contains("/invite/")).findFirst().orElseThrow();
        String token = link.substring(link.lastIndexOf('/') + 1).strip();

        try (TestServer server = TestServer.start(data)) {
            assertThat(server.http.postJson("/admin/v1/invites/" + token, null,
                    ServerTest.json(Map.of("password", SignedIn.PASSWORD))).status()).isEqualTo(200);
            SignedIn s = SignedIn.with(server.http, ServerTest.json(Map.of("email", "ana@example.com", "password", SignedIn.PASSWORD)));
            assertThat(s.answer()).containsEntry("role", "analyst");
        }

        Cli.Run listed = run("user", "list");
        assertThat(listed.out().lines().toList().get(0)).startsWith("ID").contains("EMAIL", "ROLE", "WORKSPACES", "STATUS");
        assertThat(listed.out()).contains("ana@example.com", "analyst", "active");
        assertThat(run("user", "list", "--json").out()).startsWith("[").contains("ana@example.com").contains("\"status\"");

        Cli.Run removed = run("user", "remove", "ana@example.com");
        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(run("user", "list").out()).doesNotContain("ana@example.com");
    }

    @Test
    void badInvitationsAndTheLastOwnerAreRefusedWithAMessage() {
        Cli.Run noWorkspace = run("user", "invite", "x@example.com", "--role", "admin");
        assertThat(noWorkspace.exit()).isEqualTo(2);
        assertThat(noWorkspace.err()).contains("--all-workspaces");
        assertThat(run("user", "invite", "x@example.com", "--role", "boss", "--all-workspaces").err()).contains("role must be");
        assertThat(run("user", "invite", "x@example.com", "--role", "admin", "--workspace", "nowhere").err())
                .contains("no workspace");

        Cli.Run owner = run("user", "invite", "owner@example.com", "--role", "owner", "--all-workspaces", "--json");
        assertThat(owner.exit()).as(owner.toString()).isZero();
        assertThat(owner.json()).containsEntry("workspaces", "all").containsEntry("status", "invited")
                .containsKey("invite_url");
        assertThat(run("user", "invite", "OWNER@example.com", "--role", "owner", "--all-workspaces").err()).contains("exists");
        // a pending owner may go; an active last owner may not
        String url = (String) owner.json().get("invite_url");
        try (TestServer server = TestServer.start(data)) {
            server.http.postJson("/admin/v1/invites/" + url.substring(url.lastIndexOf('/') + 1), null,
                    ServerTest.json(Map.of("password", SignedIn.PASSWORD)));
        }
        Cli.Run last = run("user", "remove", "owner@example.com");
        assertThat(last.exit()).isEqualTo(2);
        assertThat(last.err()).contains("last owner");
    }
}
