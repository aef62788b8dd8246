package io.touchpoint.server.cli;

import io.touchpoint.server.backup.BackupArchive;
import io.touchpoint.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Put a backup written by `touchpoint backup` into the data folder (the server stopped).",
                "Restores the store and its secrets key file into --data. Nothing may have that store open: stop the"
                        + " server first.",
                "A folder that already holds a store is replaced only with --force, and its files are then kept beside"
                        + " the restored ones, renamed *.replaced-TIME. For PostgreSQL use pg_restore (README,"
                        + " \"Backup and restore\")."})
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the backup archive to restore")
    Path file;

    @Option(names = "--force", description = "replace the store (and a different secrets key file) already in the data"
            + " folder; the replaced files are kept, renamed")
    boolean force;

    @Override
    public Integer call() {
        ServerConfig config = common.loader(Map.of()).load();
        BackupArchive.Restored r = BackupArchive.restore(config, file, force, Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data", r.dataDir().toString());
            m.put("events", r.events());
            m.put("backup", r.manifest());
            m.put("secrets_key", r.keyNote());
            m.put("kept_aside", r.keptAside().stream().map(Path::toString).toList());
            Output.json(out, m);
            return 0;
        }
        out.printf("restored into %s: %,d events, from the backup of %s taken at %s by touchpoint %s%n", r.dataDir(),
                r.events(), r.manifest().get("source"), r.manifest().get("created_at"), r.manifest().get("touchpoint_version"));
        out.println(r.keyNote());
        for (Path p : r.keptAside()) out.println("kept the replaced " + p.getFileName() + " in " + p.getParent());
        out.println("start the server on it: touchpoint serve --data " + r.dataDir());
        out.flush();
        return 0;
    }
}
