package io.touchpoint.server.cli;

import io.touchpoint.server.support.Cli;
import io.touchpoint.server.support.Cli.Run;
import io.touchpoint.storage.sqlite.SqliteStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code touchpoint destination add|list|disable|enable|replay} against a real embedded store in a temporary data
 * folder: a token read from a file never printed back, and every refusal a clear one-line error with exit code 2.
 */
class DestinationCommandTest {
    private static final String TOKEN = "EAAB-cli-test-token-f3a9";
    @TempDir
    Path data;

    @BeforeEach
    void createStore() {
        SqliteStore.inFolder(data).close();
    }

    @Test
    void aTokenReadFromAFileIsStoredAndNeverPrinted() throws Exception {
        run("workspace", "create", "acme");
        Path token = Files.writeString(data.resolve("meta-token.txt"), TOKEN + "\n");
        Run added = run("destination", "add", "acme", "meta", "--name", "Meta main", "-s", "pixel_id=123456789012345",
                "-s", "access_token=@" + token, "--json");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).doesNotContain(TOKEN).contains("f3a9");
        String id = (String) added.json().get("id");

        Run listed = run("destination", "list", "acme", "--json");
        assertThat(listed.out()).contains(id).doesNotContain(TOKEN);
        Run disabled = run("destination", "disable", id, "--json");
        assertThat(disabled.exit()).as(disabled.err()).isZero();
        assertThat(disabled.json()).containsEntry("enabled", false);
        assertThat(run("destination", "enable", id, "--json").json()).containsEntry("enabled", true);
        Run replayed = run("destination", "replay", id, "--dead", "--json");
        assertThat(replayed.exit()).as(replayed.err()).isZero();
        assertThat(replayed.json()).containsEntry("destination_id", id).containsEntry("replayed", 0);
    }

    @Test
    void refusalsAreOneClearLineWithExitCodeTwo() {
        run("workspace", "create", "acme");
        Path missing = data.resolve("no-such-token.txt");
        Run noFile = run("destination", "add", "acme", "meta", "--name", "M", "-s", "pixel_id=1", "-s", "access_token=@" + missing);
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err().strip()).isEqualTo("touchpoint: cannot read " + missing + ": no such file");

        Run noToken = run("destination", "add", "acme", "meta", "--name", "M", "-s", "pixel_id=1");
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("settings.access_token: access_token is required");

        Run badType = run("destination", "add", "acme", "facebook", "--name", "M");
        assertThat(badType.exit()).isEqualTo(2);
        assertThat(badType.err()).contains("type must be one of meta, google_ads, tiktok, ga4, webhook");

        Run noWorkspace = run("destination", "list", "nobody");
        assertThat(noWorkspace.exit()).isEqualTo(2);
        assertThat(noWorkspace.err()).contains("no workspace with id or name 'nobody'");

        Run noDestination = run("destination", "replay", "dst_nope", "--dead");
        assertThat(noDestination.exit()).isEqualTo(2);
        assertThat(noDestination.err()).contains("no destination with id 'dst_nope'");

        Run twoSelections = run("destination", "replay", "dst_nope", "--dead", "--event", "evt_1");
        assertThat(twoSelections.exit()).isEqualTo(2);
        assertThat(twoSelections.err()).contains("give exactly one of --event, --dead or --from");
        assertThat(run("destination", "list", "acme", "--json").out().strip()).isEqualTo("[]");
    }

    private Run run(String... args) {
        return Cli.on(data, args);
    }
}
