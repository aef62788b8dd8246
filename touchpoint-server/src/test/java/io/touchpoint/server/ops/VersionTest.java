package io.touchpoint.server.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.telemetry.BuildInfo;
import io.touchpoint.server.support.Cli;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One version everywhere: the build's (the pom's version and the git commit) in {@code --version},
 * {@code touchpoint version}, {@code /healthz}, the served OpenAPI document and {@code touchpoint_build_info}.
 * (The {@code User-Agent} of outbound calls: {@code destinations.OutboundUserAgentTest}.)
 */
class VersionTest extends ServerTest {
    private static final BuildInfo BUILD = BuildInfo.current();

    @Test
    void theBuildWroteARealVersionAndACommitOrUnknown() {
        assertThat(BUILD.version()).as("the pom's version, filtered into build-info.properties").matches("\\d+\\.\\d+\\.\\d+");
        // a git checkout gives 12 hex digits (-dirty with uncommitted changes); a source tarball "unknown"
        assertThat(BUILD.commit()).matches("[0-9a-f]{12}(-dirty)?|unknown");
    }

    @Test
    void versionOptionAndCommandPrintIt() {
        Cli.Run option = Cli.run("--version");
        assertThat(option.exit()).isZero();
        assertThat(option.out()).startsWith("touchpoint " + BUILD.version() + " (commit " + BUILD.commit() + ")\nJava ");

        Cli.Run command = Cli.run("version");
        assertThat(command.exit()).as(command.err()).isZero();
        assertThat(command.out()).isEqualTo(option.out());

        Cli.Run json = Cli.run("version", "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.json()).containsEntry("version", BUILD.version()).containsEntry("commit", BUILD.commit())
                .containsEntry("java", Runtime.version().toString());
    }

    @Test
    void healthzSaysWhichBuildAnswers() {
        Response r = http.get("/healthz", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("status", "ok").containsEntry("version", BUILD.version())
                .containsEntry("commit", BUILD.commit());
    }

    @Test
    void theServedOpenApiDocumentCarriesTheVersionAndTheSourceFileAgrees() throws Exception {
        Response r = http.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(r.body()).path("info").path("version").asText()).isEqualTo(BUILD.version());
        // the document in the repository says the same, for whoever reads it there
        try (InputStream in = OpsRoutes.class.getResourceAsStream(OpsRoutes.OPENAPI_RESOURCE)) {
            assertThat(json.readTree(in).path("info").path("version").asText())
                    .as("info.version of src/main/resources/openapi.json: bump it with the pom's version")
                    .isEqualTo(BUILD.version());
        }
    }

    @Test
    void buildInfoMetricJoinsTheVersionToEverySeries() {
        Response r = http.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("# TYPE touchpoint_build_info gauge")
                .contains("touchpoint_build_info{commit=\"" + BUILD.commit() + "\",version=\"" + BUILD.version() + "\"} 1");
    }
}
