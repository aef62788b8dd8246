package io.touchpoint.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image that {@code -Pimage} builds (target/touchpoint-image.tar, Jib's {@code docker load} form):
 * its config says how a container runtime starts it, and its layers, unpacked into a folder, run the program the
 * way a runtime would, without one: in a chroot with its own mount and process namespaces, /proc and /dev, as the
 * image's user, with only the image's environment. Needs root (CI runs as root), like any container runtime.
 */
class ContainerImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UID = "10001";

    @TempDir
    static Path work;
    static JsonNode config;
    static Path rootfs;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("the image test runs containers itself "
                + "and needs root, as a container runtime does (CI is root); build without -Pimage otherwise").isEqualTo(0);
        Path tar = Path.of(System.getProperty("touchpoint.image.tar", "target/touchpoint-image.tar"));
        assertThat(tar).as("the image tarball (built by mvn -Pimage package)").exists();
        Path image = Files.createDirectories(work.resolve("image"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()), 60);
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        // layers in order, as a runtime stacks them (Jib's layers add files and never delete any)
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer.asText()).toString(),
                    "-C", rootfs.toString()), 60);
        }
    }

    @Test
    void configStartsTheProgramAsAnUnprivilegedUserOnPort8080WithDataInAVolume() {
        JsonNode c = config.get("config");
        assertThat(strings(c.get("Entrypoint"))).containsExactly("/opt/java/bin/java", "-XX:MaxTenuringThreshold=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file", "io.touchpoint.server.cli.Main");
        assertThat(strings(c.get("Cmd"))).containsExactly("serve");
        assertThat(c.get("User").asText()).isEqualTo(UID + ":" + UID);
        assertThat(fieldNames(c.get("ExposedPorts"))).containsExactly("8080/tcp");
        assertThat(fieldNames(c.get("Volumes"))).containsExactly("/data");
        assertThat(c.get("WorkingDir").asText()).isEqualTo("/data");
        assertThat(strings(c.get("Env"))).contains("TOUCHPOINT_BIND=0.0.0.0", "TOUCHPOINT_PORT=8080",
                "TOUCHPOINT_DATA=/data", "LANG=C.UTF-8");
        // Jib cannot set a health check; this one comes from the base (bin/image-base.sh) and must survive Jib
        assertThat(strings(c.get("Healthcheck").get("Test"))).startsWith("CMD", "/opt/java/bin/java").endsWith("healthcheck");
        assertThat(config.get("os").asText()).isEqualTo("linux");
    }

    @Test
    void composeFileRunsThisImageWithItsHealthCheckPortAndVolume() throws IOException {
        String compose = Files.readString(Path.of("..", "compose.yaml"));
        String flat = compose.replaceAll("\\s+", " ");
        List<String> check = strings(config.get("config").get("Healthcheck").get("Test"));
        assertThat(flat).contains("test: [" + String.join(", ", check.stream().map(a -> "\"" + a + "\"").toList()) + "]");
        assertThat(compose).contains("image: touchpoint:latest", "\"127.0.0.1:8080:8080\"", "- touchpoint:/data",
                "TOUCHPOINT_DB: jdbc:postgresql://postgres:5432/touchpoint");
        assertThat(strings(config.get("config").get("Env"))).contains("TOUCHPOINT_PORT=8080", "TOUCHPOINT_DATA=/data");
    }

    @Test
    void theVolumeBelongsToTheUserAndTmpIsWritableByAll() throws IOException {
        assertThat(Files.getAttribute(rootfs.resolve("data"), "unix:uid")).isEqualTo(Integer.parseInt(UID));
        assertThat(Files.getAttribute(rootfs.resolve("tmp"), "unix:mode")).isEqualTo(01777 | 0040000);
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("touchpoint:x:" + UID + ":" + UID + ":");
    }

    @Test
    void theEntrypointRunsTheCliAndTheServerFromTheImageAlone() throws Exception {
        Result version = inImage(List.of("--version"), Map.of(), 60);
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("touchpoint ");

        // before the server made the store, a command refuses the empty volume instead of creating a second store
        Result early = inImage(List.of("workspace", "create", "Early"), Map.of(), 60);
        assertThat(early.exit()).as(early.output()).isEqualTo(2);
        assertThat(early.output()).contains("no Touchpoint store in /data");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("TOUCHPOINT_PORT", String.valueOf(port));
        Path log = work.resolve("serve.log");
        Process serve = inImage(strings(config.get("config").get("Cmd")), env).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<String> health = awaitHealthy(http, base, serve, log);
            assertThat(health.body()).contains("\"status\":\"ok\"");

            // the command line writes to the volume as the image's user, beside the server on the same store
            Result created = inImage(List.of("workspace", "create", "Acme", "--json"), Map.of(), 60);
            assertThat(created.exit()).as(created.output()).isZero();
            String token = JSON.readTree(created.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                    .get("token").get("token").asText();
            assertThat(token).startsWith("tp_");

            // the image's own health check command, as the runtime runs it: beside the server, same environment
            List<String> check = strings(config.get("config").get("Healthcheck").get("Test"));
            Result healthcheck = inImageCommand(check.subList(1, check.size()), env, 60);
            assertThat(healthcheck.exit()).as(healthcheck.output()).isZero();

            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(base.resolve("/public-api/v1/events"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_name\":\"lead_generated\",\"email\":\"a@example.com\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        } finally {
            // SIGTERM to the server itself, as `docker stop` sends it: unshare ignores SIGTERM while its child runs
            serve.descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).forEach(ProcessHandle::destroy);
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.descendants().forEach(ProcessHandle::destroyForcibly);
                serve.destroyForcibly();
            }
        }
        assertThat(serve.exitValue()).as("a stop by SIGTERM is a clean exit:\n%s", read(log)).isZero();
        assertThat(Files.readString(log)).contains("touchpoint listening on http://0.0.0.0:" + port);
        assertThat(Files.getAttribute(rootfs.resolve("data/touchpoint.db"), "unix:uid")).isEqualTo(Integer.parseInt(UID));
        assertThat(Files.getAttribute(rootfs.resolve("data/secrets.key"), "unix:mode")).isEqualTo(0100600);
    }

    private static HttpResponse<String> awaitHealthy(HttpClient http, URI base, Process serve, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            assertThat(serve.isAlive()).as("the server ended early:\n%s", read(log)).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return r;
            } catch (ConnectException e) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("no /healthz within 90 s:\n%s", read(log)).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    record Result(int exit, String output) {
    }

    private static Result inImage(List<String> args, Map<String, String> env, int timeoutSeconds) throws Exception {
        List<String> command = new ArrayList<>(strings(config.get("config").get("Entrypoint")));
        command.addAll(args);
        return inImageCommand(command, env, timeoutSeconds);
    }

    private static Result inImageCommand(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws Exception {
        Path out = Files.createTempFile(work, "run", ".log");
        Process p = inImageProcess(command, env).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within " + timeoutSeconds + " s:\n" + read(out));
        }
        return new Result(p.exitValue(), read(out));
    }

    private static ProcessBuilder inImage(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(strings(config.get("config").get("Entrypoint")));
        command.addAll(args);
        return inImageProcess(command, env);
    }

    /**
     * What a runtime does, by hand: new mount and process namespaces with their own /proc (the loader finds the
     * JDK's libraries through /proc/self/exe), the host's /dev bound in, then the image's root, working directory
     * and user, and only the image's environment (plus {@code env}).
     */
    private static ProcessBuilder inImageProcess(List<String> command, Map<String, String> env) {
        JsonNode c = config.get("config");
        String[] user = c.get("User").asText().split(":");
        List<String> full = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--kill-child=SIGTERM",
                "--mount-proc=" + rootfs.resolve("proc"), "sh", "-c",
                "mount --rbind /dev \"$0/dev\" && r=$0 w=$1 g=$2 u=$3 && shift 3"
                        + " && exec unshare --root=\"$r\" --wd=\"$w\" --setgid=\"$g\" --setuid=\"$u\" -- \"$@\"",
                rootfs.toString(), c.get("WorkingDir").asText(), user[1], user[0]));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().clear();
        Map<String, String> imageEnv = new HashMap<>();
        for (String kv : strings(c.get("Env"))) {
            int eq = kv.indexOf('=');
            imageEnv.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        imageEnv.putAll(env);
        pb.environment().putAll(imageEnv);
        return pb;
    }

    private static void run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as(command.toString()).isTrue();
        assertThat(p.exitValue()).as(command + ":\n" + output).isZero();
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
