package io.touchpoint.server.cli;

import io.touchpoint.server.support.Cli;
import io.touchpoint.server.support.Cli.Run;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code touchpoint funnel create|list|revoke} against a real embedded store in a temporary data folder. */
class FunnelCommandTest {
    @TempDir
    Path data;

    /** The commands need a store: {@code serve} makes it on its first start. */
    @BeforeEach
    void createStore() {
        SqliteStore.inFolder(data).close();
    }

    @Test
    void createPrintsTheMarkAsJsonListShowsItAndRevokeStopsIt() {
        run("workspace", "create", "acme");
        Run created = run("funnel", "create", "acme", "Checkout", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        Map<String, Object> funnel = created.json();
        String id = (String) funnel.get("id");
        String mark = (String) funnel.get("funnel_mark");
        assertThat(id).startsWith("fn_");
        assertThat(mark).startsWith("fm_");
        assertThat(funnel).containsEntry("name", "Checkout").containsEntry("revoked_at", null)
                .containsKeys("workspace_id", "created_at");

        Run listed = run("funnel", "list", "acme");
        assertThat(listed.exit()).as(listed.err()).isZero();
        List<String> lines = listed.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("NAME", "FUNNEL MARK", "CREATED", "REVOKED");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains(id, "Checkout", mark).endsWith("-");

        Run listedJson = run("funnel", "list", "acme", "--json");
        assertThat(listedJson.out()).contains("\"funnel_mark\":\"" + mark + "\"");

        try (TestServer server = TestServer.start(data)) { // the mark works against a server on the same store
            Response r = server.http.postJson("/uip-events/event", null, Payloads.ableSeed(mark));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }

        Run revoked = run("funnel", "revoke", id);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).startsWith("funnel " + id + " revoked at ");
        assertThat(run("funnel", "list", "acme").out().lines().toList().get(1)).contains(mark).doesNotEndWith("-");

        try (TestServer server = TestServer.start(data)) {
            Response r = server.http.postJson("/uip-events/event", null, Payloads.ableSeed(mark));
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.error()).containsEntry("code", "funnel_mark_revoked");
        }
    }

    @Test
    void createWithoutJsonPrintsTheMarkForPeople() {
        run("workspace", "create", "globex");
        Run created = run("funnel", "create", "globex", "Webinar");
        assertThat(created.exit()).as(created.err()).isZero();
        List<String> lines = created.out().lines().toList();
        assertThat(lines.get(0)).startsWith("funnel Webinar created (fn_");
        assertThat(lines.get(1)).matches("funnel mark: fm_\\S+");
        assertThat(run("funnel", "revoke", "--json", lines.get(0).replaceAll(".*\\((fn_\\w+)\\).*", "$1")).json()
                .get("revoked_at")).isNotNull();
    }

    @Test
    void funnelsListOnlyTheirWorkspacesOwn() {
        run("workspace", "create", "one");
        run("workspace", "create", "two");
        String mark = (String) run("funnel", "create", "one", "A", "--json").json().get("funnel_mark");
        assertThat(run("funnel", "list", "two").out()).doesNotContain(mark);
        assertThat(run("funnel", "list", "two", "--json").out().strip()).isEqualTo("[]");
    }

    @Test
    void unknownWorkspacesFunnelsAndBadNamesAreClearErrors() {
        run("workspace", "create", "acme");
        Run noWorkspace = run("funnel", "create", "nobody", "X");
        assertThat(noWorkspace.exit()).isEqualTo(2);
        assertThat(noWorkspace.err()).contains("touchpoint: no workspace with id or name 'nobody'");

        Run blank = run("funnel", "create", "acme", "  ");
        assertThat(blank.exit()).isEqualTo(2);
        assertThat(blank.err()).contains("a funnel name must have 1 to 100 characters");

        Run noFunnel = run("funnel", "revoke", "fn_nope");
        assertThat(noFunnel.exit()).isEqualTo(2);
        assertThat(noFunnel.err()).contains("no funnel with id 'fn_nope'");

        assertThat(run("funnel", "list", "nobody").exit()).isEqualTo(2);
        assertThat(run("funnel", "list", "acme", "--json").out().strip()).isEqualTo("[]");
    }

    private Run run(String... args) {
        return Cli.on(data, args);
    }
}
