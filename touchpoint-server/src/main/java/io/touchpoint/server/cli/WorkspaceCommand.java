package io.touchpoint.server.cli;

import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.admin.Views;
import io.touchpoint.server.pixel.FirstParty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

@Command(name = "workspace", mixinStandardHelpOptions = true, description = "Create and list workspaces.",
        subcommands = {WorkspaceCommand.Create.class, WorkspaceCommand.ListAll.class, WorkspaceCommand.Pixel.class})
final class WorkspaceCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a workspace; prints its pixel key and a token with the ingest and read scopes (shown once).")
    static final class Create extends StoreCommand {
        @Parameters(paramLabel = "NAME", description = "the workspace's name, unique on this server")
        String name;

        @Option(names = "--time-zone", description = "IANA time zone for reports (default UTC)")
        String timeZone = WorkspaceSettings.DEFAULTS.timeZone();

        @Option(names = "--currency", description = "ISO 4217 currency for events without one (default USD)")
        String currency = WorkspaceSettings.DEFAULTS.currency();

        @Option(names = "--phone-region", description = "ISO 3166 region for phone numbers without a country code (default US)")
        String phoneRegion = WorkspaceSettings.DEFAULTS.phoneRegion();

        @Option(names = "--rate-limit", description = "ingest requests per minute (default ${DEFAULT-VALUE})")
        int rateLimit = WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE;

        @Override
        void run(Store store, PrintWriter out) {
            WorkspaceSettings settings;
            try {
                settings = new WorkspaceSettings(timeZone, currency.toUpperCase(Locale.ROOT),
                        phoneRegion.toUpperCase(Locale.ROOT), rateLimit);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid workspace setting: " + e.getMessage(), e);
            }
            CreatedWorkspace c = new Workspaces(store, Clock.systemUTC()).create(name, settings);
            if (common.json) {
                Output.json(out, Output.with(Views.workspace(c.workspace()), "token", Views.createdToken(c.token())));
                return;
            }
            Workspace w = c.workspace();
            out.println("workspace " + w.name() + " created");
            out.println("  id         " + w.id());
            out.println("  pixel key  " + w.pixelKey());
            out.println("  API token  " + c.token().secret() + "   (scopes ingest, read; shown once, store it safely)");
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List workspaces.")
    static final class ListAll extends StoreCommand {
        @Override
        void run(Store store, PrintWriter out) {
            List<Workspace> all = new Workspaces(store, Clock.systemUTC()).list();
            if (common.json) {
                Output.json(out, all.stream().map(Views::workspace).toList());
                return;
            }
            Output.table(out, List.of("ID", "NAME", "PIXEL KEY", "CURRENCY", "TIME ZONE", "CREATED"),
                    all.stream().map(w -> List.of(w.id(), w.name(), w.pixelKey(), w.settings().currency(),
                            w.settings().timeZone(), w.createdAt().toString())).toList());
        }
    }

    @Command(name = "pixel", mixinStandardHelpOptions = true,
            description = "Show or change a workspace's pixel settings: the origins /collect accepts (none: any), the"
                    + " workspace's own domains, whose links carry the visitor token, and the domains the server-set"
                    + " visitor cookie goes on (none: the registrable domain of the host a beacon reached).")
    static final class Pixel extends StoreCommand {
        @Parameters(paramLabel = "WORKSPACE", description = "id or name")
        String workspace;

        @Option(names = "--allowed-origins", split = ",", paramLabel = "ORIGIN",
                description = "replace the allow-list, e.g. https://shop.example.com,https://www.example.com; '' clears it")
        List<String> origins;

        @Option(names = "--domains", split = ",", paramLabel = "DOMAIN",
                description = "replace the workspace's own domains, e.g. example.com,example.net; '' clears them")
        List<String> domains;

        @Option(names = "--cookie-domains", split = ",", paramLabel = "DOMAIN",
                description = "replace the visitor cookie's domains, e.g. shop.example.com; '' clears them")
        List<String> cookieDomains;

        @Override
        void run(Store store, PrintWriter out) {
            Workspaces ws = new Workspaces(store, Clock.systemUTC());
            Workspace w = ws.require(workspace);
            io.touchpoint.core.model.PixelSettings s = origins == null && domains == null && cookieDomains == null
                    ? ws.pixelSettings(w.id()) : ws.updatePixelSettings(w.id(), origins, domains, cookieDomains);
            FirstParty firstParty = new FirstParty(config.pixelPathPrefix(), config.pixelScriptName(),
                    config.pixelCollectName());
            String snippet = Views.snippet(firstParty.scriptFor(w.pixelKey()));
            if (common.json) {
                Output.json(out, java.util.Map.of("workspace_id", w.id(), "pixel_key", w.pixelKey(),
                        "allowed_origins", s.allowedOrigins(), "domains", s.domains(), "cookie_domains", s.cookieDomains(),
                        "first_party_snippet", snippet));
                return;
            }
            out.println("workspace " + w.name());
            out.println("  pixel key        " + w.pixelKey());
            out.println("  allowed origins  " + (s.allowedOrigins().isEmpty() ? "(any)" : String.join(", ", s.allowedOrigins())));
            out.println("  domains          " + (s.domains().isEmpty() ? "(none)" : String.join(", ", s.domains())));
            out.println("  cookie domains   " + (s.cookieDomains().isEmpty() ? "(the registrable domain)"
                    : String.join(", ", s.cookieDomains())));
            out.println("  first-party      " + snippet);
            out.println("                   (on sites that route " + firstParty.prefix() + " to Touchpoint: README,"
                    + " First-party serving)");
            out.flush();
        }
    }
}
