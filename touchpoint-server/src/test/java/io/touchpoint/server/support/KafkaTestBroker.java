package io.touchpoint.server.support;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A real Apache Kafka broker (KRaft, one node that is broker and controller) run as a process of its own from the
 * Kafka jars on Maven Central, which the touchpoint-test-kafka module resolves and lists in a class-path file. The
 * broker's class path stays apart from the tests': Kafka's server brings its own Scala, logging and Jackson.
 * {@link #kill()} ends it at once (a broker crash); {@link #start()} again brings it back on the same port and data.
 */
public final class KafkaTestBroker implements AutoCloseable {
    private static final String CLASSPATH_PROPERTY = "touchpoint.test.kafka-classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final Path dir;
    private final String classpath;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaTestBroker(Path dir, String classpath, int port, int controllerPort) {
        this.dir = dir;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a new broker's storage in a temporary folder and starts it. */
    public static KafkaTestBroker startNew() {
        String file = System.getProperty(CLASSPATH_PROPERTY);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            Assertions.fail("no Kafka broker class path at " + CLASSPATH_PROPERTY + "=" + file
                    + " (built by the touchpoint-test-kafka module: run the tests with ./test, or with -am)");
        }
        try {
            Path dir = Files.createTempDirectory("touchpoint-kafka");
            KafkaTestBroker broker = new KafkaTestBroker(dir, Files.readString(Path.of(file)).trim(), freePort(), freePort());
            broker.format();
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private void format() throws IOException {
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""));
        run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(),
                "-c", dir.resolve("server.properties").toString(), "--standalone"), "format.log", true);
    }

    /** Starts the broker (again) and waits until it takes connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) return;
        process = run(List.of("kafka.Kafka", dir.resolve("server.properties").toString()), "broker.log", false);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) Assertions.fail("the Kafka broker exited at start: " + log("broker.log"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        Assertions.fail("the Kafka broker did not listen within " + START_TIMEOUT + ": " + log("broker.log"));
    }

    /** Ends the broker at once, as a crash would; its data stays for {@link #start()}. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }

    private Process run(List<String> mainAndArgs, String logName, boolean waitForExit) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath));
        cmd.addAll(mainAndArgs);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(logName).toFile()).start();
            if (waitForExit && p.waitFor() != 0) Assertions.fail(mainAndArgs.get(0) + " failed: " + log(logName));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String log(String name) {
        try {
            String text = Files.readString(dir.resolve(name));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    /** A cluster id as Kafka writes them: 16 random bytes, URL-safe Base64 without padding. */
    /** A random cluster id; one starting with '-' would be read by the storage tool as a flag, so none does. */
    static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(16)
                    .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
            if (!id.startsWith("-")) return id;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
