package io.touchpoint.server.cli;

import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.admin.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

@Command(name = "funnel", mixinStandardHelpOptions = true,
        description = "Create, list and revoke funnels (the Able webhook's funnel marks).",
        subcommands = {FunnelCommand.Create.class, FunnelCommand.ListAll.class, FunnelCommand.Revoke.class})
final class FunnelCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a funnel and print its mark.")
    static final class Create extends StoreCommand {
        @Parameters(index = "0", paramLabel = "WORKSPACE", description = "workspace id or name")
        String workspace;

        @Parameters(index = "1", paramLabel = "NAME", description = "a name for the funnel, e.g. Checkout")
        String name;

        @Override
        void run(Store store, PrintWriter out) {
            Funnel f = new Workspaces(store, Clock.systemUTC()).createFunnel(workspace, name);
            if (common.json) {
                Output.json(out, Views.funnel(f));
                return;
            }
            out.println("funnel " + f.name() + " created (" + f.id() + ")");
            out.println("funnel mark: " + f.mark());
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a workspace's funnels with their marks.")
    static final class ListAll extends StoreCommand {
        @Parameters(paramLabel = "WORKSPACE", description = "workspace id or name")
        String workspace;

        @Override
        void run(Store store, PrintWriter out) {
            List<Funnel> funnels = new Workspaces(store, Clock.systemUTC()).funnels(workspace);
            if (common.json) {
                Output.json(out, funnels.stream().map(Views::funnel).toList());
                return;
            }
            Output.table(out, List.of("ID", "NAME", "FUNNEL MARK", "CREATED", "REVOKED"),
                    funnels.stream().map(f -> List.of(f.id(), f.name(), f.mark(), f.createdAt().toString(),
                            Output.or(f.revokedAt()))).toList());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a funnel: webhooks with its mark are refused from then on.")
    static final class Revoke extends StoreCommand {
        @Parameters(paramLabel = "FUNNEL_ID", description = "the funnel's id (fn_…), as `funnel list` shows it")
        String funnelId;

        @Override
        void run(Store store, PrintWriter out) {
            Funnel f = new Workspaces(store, Clock.systemUTC()).revokeFunnel(funnelId, null);
            if (common.json) {
                Output.json(out, Views.funnel(f));
                return;
            }
            out.println("funnel " + f.id() + " revoked at " + f.revokedAt());
            out.flush();
        }
    }
}
