package io.touchpoint.bench.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link FakePlatforms} in a child JVM (the same java and class path as this one), driven over its standard input and
 * output. Its CPU time is read from the operating system, so it can be reported apart from the server's.
 */
final class FakesProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final JsonNode urls;

    private FakesProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = out.readLine();
        if (first == null) throw new IOException("the fakes process ended before it listened (see its output above)");
        this.urls = JSON.readTree(first);
    }

    /** @param heap the child's -Xmx, e.g. "1g" */
    static FakesProcess start(int visitors, String heap) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), FakePlatforms.class.getName(), String.valueOf(visitors)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new FakesProcess(p);
    }

    /** The fake's base URL ("http://127.0.0.1:PORT"), by destination type name. */
    String url(String name) {
        return urls.get(name).asText();
    }

    long pid() {
        return process.pid();
    }

    /** CPU seconds the fakes' JVM has used so far (user + system). */
    double cpuSeconds() {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    synchronized void down() {
        command("down");
    }

    synchronized void up() {
        command("up");
    }

    /** Per fake: requests, accepted, violations, violation_samples (totals since start). */
    synchronized JsonNode stats() {
        return command("stats");
    }

    private JsonNode command(String c) {
        try {
            in.write(c + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) throw new IOException("the fakes process has ended");
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("fakes: " + c + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
