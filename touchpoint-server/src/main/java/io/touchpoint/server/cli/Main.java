package io.touchpoint.server.cli;

import io.touchpoint.server.telemetry.BuildInfo;
import io.touchpoint.server.config.ConfigException;
import io.touchpoint.core.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code touchpoint} — the command line. */
@Command(name = "touchpoint", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Self-hosted server-side conversion tracking and ad attribution.",
        subcommands = {ServeCommand.class, WorkspaceCommand.class, TokenCommand.class, FunnelCommand.class, UserCommand.class,
                DestinationCommand.class, AdminTokenCommand.class, HealthcheckCommand.class, BackupCommand.class,
                RestoreCommand.class, VersionCommand.class, CompletionCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof io.touchpoint.core.destinations.InvalidDestinationException invalid) {
                invalid.errors().forEach(f -> cmd.getErr().println("touchpoint: " + f.param() + ": " + f.message()));
                return 2;
            }
            if (e instanceof ConfigException || e instanceof IllegalArgumentException
                    || e instanceof io.touchpoint.core.admin.NotFoundException
                    || e instanceof io.touchpoint.core.store.DuplicateNameException
                    || e instanceof io.touchpoint.core.users.LastOwnerException) {
                cmd.getErr().println("touchpoint: " + e.getMessage());
                return 2;
            }
            if (e instanceof StoreException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("touchpoint: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    /** {@code touchpoint 0.2.0 (commit 1a2b3c4d5e6f)}, then the Java runtime that runs it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"touchpoint " + BuildInfo.current().describe(), VersionCommand.runtime()};
        }
    }
}
