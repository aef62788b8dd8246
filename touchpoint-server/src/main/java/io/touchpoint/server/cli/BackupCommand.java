package io.touchpoint.server.cli;

import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.backup.BackupArchive;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.config.Stores;
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

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a consistent copy of the embedded store and its secrets key to FILE (a zip archive).",
                "Safe while `serve` runs: the copy holds every event acknowledged before it began, and ingest goes on"
                        + " meanwhile. FILE is readable by its owner only.",
                "For PostgreSQL use pg_dump (README, \"Backup and restore\")."})
final class BackupCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the archive to write, e.g. /var/backups/touchpoint/2026-05-01.zip")
    Path file;

    @Option(names = "--force", description = "replace FILE when it exists")
    boolean force;

    @Override
    public Integer call() {
        ServerConfig config = common.loader(Map.of()).load();
        BackupArchive.Written w = BackupArchive.create(config, file, force, Clock.systemUTC());
        record(config, w);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", w.file().toString());
            m.put("bytes", w.bytes());
            m.put("events", w.events());
            m.put("secrets_key", w.key().name().toLowerCase(java.util.Locale.ROOT));
            m.put("seconds", w.took().toMillis() / 1000.0);
            Output.json(out, m);
            return 0;
        }
        out.printf("backup written to %s (%s, %,d events, %.1f s)%n", w.file(), BackupArchive.size(w.bytes()), w.events(),
                w.took().toMillis() / 1000.0);
        out.println(switch (w.key()) {
            case INCLUDED -> "the secrets key file is in it: keep the backup as safe as the server itself";
            case CONFIGURED -> "the secrets key is set in the configuration (secrets.key), not in the backup: keep the"
                    + " configuration too, or the destinations' secrets cannot be opened after a restore";
            case NONE -> "no secrets key yet (the server has not started on this data folder)";
        });
        out.flush();
        return 0;
    }

    /** The backup in the audit log, an export by the administrator at the command line; failing to say so only warns. */
    private void record(ServerConfig config, BackupArchive.Written w) {
        try (Store store = Stores.openExisting(config)) {
            store.audit().append(new AuditEntry(0, Clock.systemUTC().instant(), Actor.administrator("command line"), null,
                    null, null, "export.backup", null, Map.of("file", w.file().getFileName().toString(), "events", w.events(),
                    "secrets_key", w.key().name().toLowerCase(java.util.Locale.ROOT))));
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("warning: the backup was written but is not in the audit log: " + e.getMessage());
        }
    }
}
