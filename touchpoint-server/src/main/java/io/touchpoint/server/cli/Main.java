package io.touchpoint.server.cli;

import io.touchpoint.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code touchpoint} — the command line. */
@Command(name = "touchpoint", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Self-hosted server-side conversion tracking and ad attribution.",
        subcommands = {ServeCommand.class, WorkspaceCommand.class, TokenCommand.class, FunnelCommand.class,
                DestinationCommand.class, AdminTokenCommand.class, HealthcheckCommand.class})
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
                    || e instanceof io.touchpoint.core.store.DuplicateNameException) {
                cmd.getErr().println("touchpoint: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"touchpoint " + (v == null ? "development build" : v)};
        }
    }
}
