package io.touchpoint.server.cli;

import io.touchpoint.server.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Options every command that touches the store takes. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "config file (Java properties); default ./touchpoint.properties when present")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder of the embedded store (default ./data)")
    String data;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "PostgreSQL instead of the embedded store, e.g. jdbc:postgresql://localhost:5432/touchpoint")
    String db;

    @Option(names = "--json", description = "print results as JSON, for scripts")
    boolean json;

    ConfigLoader loader(Map<String, String> moreFlags) {
        Map<String, String> flags = new HashMap<>(moreFlags);
        flags.put("data", data);
        flags.put("db", db);
        return new ConfigLoader(config, System.getenv(), flags);
    }
}
