package io.touchpoint.server.support;

import io.touchpoint.server.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Runs the command line in this JVM ({@link Main#commandLine()}) and keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    /** What one run printed and returned. */
    public record Run(int exit, String out, String err) {
        public Map<String, Object> json() {
            return HttpTestClient.parse(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nout: " + out + "\nerr: " + err;
        }
    }

    /** A run on the embedded store in {@code data} ({@code --data} added to the arguments). */
    public static Run on(Path data, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data";
        all[args.length + 1] = data.toString();
        return run(all);
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
