package io.touchpoint.server.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's {@code ./touchpoint} launcher, run by bash in a copy of the repository's layout with a fake
 * {@code mvn} first on the PATH that talks as Maven does (colour codes even in batch mode, JVM warnings) and
 * "builds" a jar that runs {@link LauncherProbe}: while it builds, the launcher shows one line of progress and
 * none of Maven's output, unless the build fails, when it shows the output without the codes and stops.
 */
class LauncherTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();
    private static final String FAKE_MVN = """
            #!/usr/bin/env bash
            echo "$*" >> "$FAKE_MVN_CALLS"
            printf '\\033[0m\\033[0m\\n'
            echo "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called" >&2
            if [ -n "${FAKE_MVN_FAIL:-}" ]; then
              printf '\\033[1;31m[ERROR]\\033[m COMPILATION ERROR: Main.java:[3,1] class, interface expected\\n'
              exit 1
            fi
            mkdir -p touchpoint-server/target
            cp "$FAKE_JAR" touchpoint-server/target/touchpoint.jar
            """;

    @TempDir
    Path dir;
    Path root;
    Path calls;
    Path source;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void layOut() throws IOException {
        root = dir.resolve("repo");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(REPOSITORY.resolve("touchpoint"), root.resolve("touchpoint"));
        Files.copy(REPOSITORY.resolve("bin/jdk.sh"), root.resolve("bin/jdk.sh"));
        source = root.resolve("touchpoint-server/src/main/java/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Main {}\n");
        Path fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, FAKE_MVN);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        calls = dir.resolve("mvn-calls.txt");
        writeProbeJar(dir.resolve("probe.jar"));
    }

    @Test
    void buildsWithOneLineOfProgressThenRunsAndLaterRunsWithoutBuilding() throws Exception {
        Run first = launch(Map.of(), "version", "--json");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.err()).as("one line while building, nothing of Maven's")
                .matches("touchpoint: building the program \\(first run, 1-3 minutes\\) with the JDK in .+ \\.\\.\\. done in \\d+ s\n");
        assertThat(first.out()).isEqualTo("probe: version --json\n");
        assertThat(Files.readString(calls)).as("Maven in batch mode, quiet, without colour")
                .contains("-B", "-q", "-Dstyle.color=never", "package");

        Run second = launch(Map.of(), "serve");
        assertThat(second.exit()).isZero();
        assertThat(second.err()).as("an up-to-date program starts without a word").isEmpty();
        assertThat(second.out()).isEqualTo("probe: serve\n");
        assertThat(Files.readAllLines(calls)).as("built once").hasSize(1);

        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
        Run third = launch(Map.of(), "serve");
        assertThat(third.err()).startsWith("touchpoint: building the program (sources changed,").endsWith(" s\n");
        assertThat(third.out()).isEqualTo("probe: serve\n");
    }

    @Test
    void aFailedBuildShowsMavensOutputWithoutEscapeCodesAndStops() throws Exception {
        Run failed = launch(Map.of("FAKE_MVN_FAIL", "1"), "serve");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).as("the program does not run").isEmpty();
        assertThat(failed.err()).startsWith("touchpoint: building the program (first run, 1-3 minutes)")
                .contains("... failed; Maven's output:\n")
                .contains("[ERROR] COMPILATION ERROR: Main.java:[3,1] class, interface expected")
                .contains("WARNING: A terminally deprecated method")
                .containsPattern("touchpoint: the build failed \\(output above, also in \\S+\\)\n$")
                .doesNotContain("\u001b");
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("bash", root.resolve("touchpoint").toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("PATH", dir.resolve("fake-bin") + ":" + System.getenv("PATH"));
        pb.environment().put("TOUCHPOINT_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("FAKE_MVN_CALLS", calls.toString());
        pb.environment().put("FAKE_JAR", dir.resolve("probe.jar").toString());
        pb.environment().put("TMPDIR", dir.toString());
        pb.environment().remove("TOUCHPOINT_JVM_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err.get(30, TimeUnit.SECONDS));
    }

    /** A runnable jar of {@link LauncherProbe} alone. */
    private static void writeProbeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = LauncherProbe.class.getResourceAsStream("/" + entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
