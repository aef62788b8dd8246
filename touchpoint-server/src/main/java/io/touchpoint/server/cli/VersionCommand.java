package io.touchpoint.server.cli;

import io.touchpoint.server.telemetry.BuildInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code touchpoint version}: what {@code --version} prints, or the same as JSON for scripts. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Print the version and commit this program was built from, as --version does.",
                "Then the Java runtime running it; --json prints the same for scripts."})
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print version, commit and java as a JSON object, for scripts")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BuildInfo build = BuildInfo.current();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", build.version());
            m.put("commit", build.commit());
            m.put("java", Runtime.version().toString());
            Output.json(out, m);
        } else {
            out.println("touchpoint " + build.describe());
            out.println(runtime());
            out.flush();
        }
        return 0;
    }

    /** {@code Java 21.0.5+11-LTS (Eclipse Adoptium), Linux amd64}. */
    static String runtime() {
        return "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
