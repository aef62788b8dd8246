package io.touchpoint.server.support;

import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.cli.Main;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real server as a separate operating-system process ({@code touchpoint serve --json}), started with
 * the java binary and class path of the test JVM, so that tests can kill it (SIGKILL), stop it (SIGTERM)
 * and start it again on the same data. Its standard error goes to a log file next to the data folder;
 * {@link #log()} reads it for failure messages. The environment is the test JVM's without any
 * {@code TOUCHPOINT_*} variable, plus {@link TestServer#ADMIN_TOKEN} as the administrator token and the
 * given variables; the working directory is a fresh folder, so no stray {@code touchpoint.properties}
 * is read.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String MAIN_CLASS = "io.touchpoint.server.cli.Main";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger STARTS = new AtomicInteger();
    /** Processes still running when the test JVM ends are killed, so no server outlives its test run. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-server-processes"));
    }

    private final Process process;
    private final Path logFile;
    private final String baseUrl;
    private final Map<String, Object> startLine;
    public final HttpTestClient http;

    private ServerProcess(Process process, Path logFile, Map<String, Object> startLine) {
        this.process = process;
        this.logFile = logFile;
        this.startLine = startLine;
        this.baseUrl = (String) startLine.get("listening");
        this.http = new HttpTestClient(baseUrl);
    }

    /** {@code serve --port 0 --data DIR --json} on loopback. */
    public static ServerProcess start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /**
     * @param env extra environment variables, e.g. {@code TOUCHPOINT_INGEST_MAX_BATCH} (see
     *            {@link io.touchpoint.server.config.ConfigLoader#envName})
     * @param moreArgs more arguments for {@code serve}, e.g. {@code --config FILE}
     */
    public static ServerProcess start(Path dataDir, Map<String, String> env, String... moreArgs) {
        int n = STARTS.incrementAndGet();
        Path base = dataDir.toAbsolutePath().getParent();
        Path logFile = base.resolve("server-" + n + ".log");
        Path workDir = base.resolve("server-" + n + ".cwd");
        List<String> command = new ArrayList<>(List.of(javaBinary(),
                "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MAIN_CLASS,
                "serve", "--port", "0", "--data", dataDir.toAbsolutePath().toString(), "--json"));
        command.addAll(List.of(moreArgs));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().keySet().removeIf(k -> k.startsWith("TOUCHPOINT_"));
        pb.environment().put(AdminCredential.ENV, TestServer.ADMIN_TOKEN);
        pb.environment().putAll(env);
        Process process;
        try {
            Files.createDirectories(workDir);
            pb.directory(workDir.toFile());
            process = pb.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon().name("server-" + n + "-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(line);
            } catch (IOException e) {
                // the process is gone
            }
        });
        String first;
        try {
            first = awaitLine(process, lines);
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
        Map<String, Object> json = HttpTestClient.parse(first);
        if (!(json.get("listening") instanceof String)) {
            process.destroyForcibly();
            throw new AssertionError("serve --json printed no 'listening' URL but: " + first + "\n" + read(logFile));
        }
        reader.setName("server-" + process.pid() + "-stdout");
        return new ServerProcess(process, logFile, json);
    }

    private static String awaitLine(Process process, BlockingQueue<String> lines) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && !line.isBlank()) return line;
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("the server process exited with " + process.exitValue()
                            + " before it listened");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the server process printed nothing within " + START_TIMEOUT);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Creates a workspace with the command line, in this JVM, on the same data folder (the process must not
     * be running yet, or must share the store). Its token has the ingest and read scopes.
     * {@code storeArgs} choose another store, e.g. {@code --db URL}.
     */
    public static CreatedWorkspace createWorkspace(Path dataDir, String name, String... storeArgs) {
        // the command line opens only a store that exists: make the embedded one as serve's first start would
        if (!List.of(storeArgs).contains("--db")) initStore(dataDir);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("workspace", "create", name, "--data",
                dataDir.toAbsolutePath().toString(), "--json"));
        args.addAll(List.of(storeArgs));
        int code = cli.execute(args.toArray(String[]::new));
        if (code != 0) throw new AssertionError("workspace create exited " + code + ": " + err);
        Map<String, Object> json = HttpTestClient.parse(out.toString());
        @SuppressWarnings("unchecked") Map<String, Object> token = (Map<String, Object>) json.get("token");
        if (token == null) throw new AssertionError("workspace create --json printed no token: " + out);
        return new CreatedWorkspace((String) json.get("id"), (String) json.get("name"), (String) token.get("token"));
    }

    /** Creates the embedded store in {@code dataDir} when it is not there yet, as {@code serve} does on its first start. */
    public static void initStore(Path dataDir) {
        if (!Files.exists(dataDir.resolve(SqliteStore.FILE_NAME))) SqliteStore.inFolder(dataDir).close();
    }

    /** A workspace made by {@link #createWorkspace}: its id, name and API token secret. */
    public record CreatedWorkspace(String id, String name, String token) {
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The JSON line {@code serve --json} printed when it started listening. */
    public Map<String, Object> startLine() {
        return startLine;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux); returns the exit code once it is dead. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(15), "SIGKILL");
    }

    /** SIGTERM (what {@link Process#destroy()} sends on Linux); returns the exit code, failing if it takes longer. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout, "SIGTERM");
    }

    /** Sends SIGTERM and returns at once; {@link #awaitExit} waits for the end. */
    public void signalTerminate() {
        process.destroy();
    }

    /** Waits for the process to end by itself; returns its exit code, failing after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        return awaitExit(timeout, "the signal");
    }

    private int awaitExit(Duration timeout, String signal) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
                throw new AssertionError("the server process " + process.pid() + " did not exit within " + timeout
                        + " of " + signal + "\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** What the process wrote to standard error (its log) so far. */
    public String log() {
        return read(logFile);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) kill();
    }
}
