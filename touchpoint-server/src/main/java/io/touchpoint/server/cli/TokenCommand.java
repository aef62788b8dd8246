package io.touchpoint.server.cli;

import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.admin.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListAll.class, TokenCommand.Revoke.class})
final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API token (printed once).")
    static final class Create extends StoreCommand {
        @Parameters(paramLabel = "WORKSPACE", description = "workspace id or name")
        String workspace;

        @Option(names = "--scope", split = ",", paramLabel = "SCOPE",
                description = "ingest, read, or both (default both), comma-separated")
        List<String> scopes = List.of("ingest", "read");

        @Option(names = "--name", description = "a label to recognise the token by")
        String name;

        @Override
        void run(Store store, PrintWriter out) {
            Set<Scope> parsed = EnumSet.noneOf(Scope.class);
            for (String s : scopes) {
                parsed.add(Scope.fromWireName(s).orElseThrow(() ->
                        new IllegalArgumentException("unknown scope '" + s + "'; use ingest or read")));
            }
            CreatedToken c = new Workspaces(store, Clock.systemUTC()).createToken(workspace, name, parsed);
            if (common.json) {
                Output.json(out, Views.createdToken(c));
                return;
            }
            out.println("token " + c.token().id() + " created (scopes " + scopes(c.token()) + ")");
            out.println(c.secret());
            out.println("shown once: store it safely");
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a workspace's tokens (never their secrets).")
    static final class ListAll extends StoreCommand {
        @Parameters(paramLabel = "WORKSPACE", description = "workspace id or name")
        String workspace;

        @Override
        void run(Store store, PrintWriter out) {
            List<ApiToken> tokens = new Workspaces(store, Clock.systemUTC()).tokens(workspace);
            if (common.json) {
                Output.json(out, tokens.stream().map(Views::token).toList());
                return;
            }
            Output.table(out, List.of("ID", "PREFIX", "NAME", "SCOPES", "CREATED", "LAST USED", "REVOKED"),
                    tokens.stream().map(t -> List.of(t.id(), t.prefix() + "…", Output.or(t.name()), scopes(t),
                            t.createdAt().toString(), Output.or(t.lastUsedAt()), Output.or(t.revokedAt()))).toList());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token; it stops working at once.")
    static final class Revoke extends StoreCommand {
        @Parameters(paramLabel = "TOKEN_ID", description = "the token's id, as `token list` shows it (not its secret)")
        String tokenId;

        @Override
        void run(Store store, PrintWriter out) {
            ApiToken t = new Workspaces(store, Clock.systemUTC()).revoke(tokenId, null);
            if (common.json) {
                Output.json(out, Views.token(t));
                return;
            }
            out.println("token " + t.id() + " revoked at " + t.revokedAt());
            out.flush();
        }
    }

    static String scopes(ApiToken t) {
        return t.scopes().stream().map(Scope::wireName).sorted().collect(Collectors.joining(","));
    }
}
