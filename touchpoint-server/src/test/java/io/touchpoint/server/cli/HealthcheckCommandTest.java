package io.touchpoint.server.cli;

import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code touchpoint healthcheck} (the container image's health check) against a real server, then without one. */
class HealthcheckCommandTest {
    @TempDir
    Path data;

    @Test
    void exitsZeroWhileTheServerAnswersAndOneWhenItIsGone() {
        int port;
        try (TestServer server = TestServer.start(data)) {
            port = server.port();
            StringWriter err = new StringWriter();
            assertThat(run(err, "healthcheck", "--port", String.valueOf(port))).as(err.toString()).isZero();
        }
        StringWriter err = new StringWriter();
        assertThat(run(err, "healthcheck", "--port", String.valueOf(port), "--timeout", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("touchpoint: healthcheck: http://127.0.0.1:" + port + "/healthz");
    }

    @Test
    void aPortPickedAtStartCannotBeChecked() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "healthcheck", "--port", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("give --port");
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
