package io.touchpoint.server.cli;

import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.User;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.users.Users;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.users.UserViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Invite, list and remove dashboard users.",
        subcommands = {UserCommand.Invite.class, UserCommand.ListAll.class, UserCommand.Remove.class})
final class UserCommand {

    @Command(name = "invite", mixinStandardHelpOptions = true,
            description = "Invite a user and print the one-time link where they choose a password (valid 7 days; no mail is sent).")
    static final class Invite extends StoreCommand {
        @Parameters(index = "0", paramLabel = "EMAIL", description = "the user's e-mail")
        String email;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "owner, admin or analyst")
        String role;

        @Option(names = "--workspace", paramLabel = "WORKSPACE",
                description = "a workspace id or name the role holds in; repeat for several")
        List<String> workspaces;

        @Option(names = "--all-workspaces", description = "the role holds in every workspace, those created later too")
        boolean all;

        @Option(names = "--url", paramLabel = "URL",
                description = "where people reach the dashboard, e.g. https://touchpoint.example.com (default: the configured address)")
        String url;

        @Override
        void run(Store store, PrintWriter out) {
            Role r = Role.fromWireName(role).orElseThrow(() -> new IllegalArgumentException(
                    "role must be one of owner, admin, analyst"));
            if (all == (workspaces != null && !workspaces.isEmpty())) {
                throw new IllegalArgumentException("give --all-workspaces or at least one --workspace, not both");
            }
            Users.Invitation inv = new Users(store, Clock.systemUTC()).invite(email, r, all, all ? List.of() : workspaces);
            String link = UserViews.link(url != null ? url.replaceAll("/+$", "") : ownAddress(config), inv);
            if (common.json) {
                Map<String, Object> m = new LinkedHashMap<>(UserViews.user(inv.user()));
                m.put("invite_url", link);
                m.put("invite_expires_at", inv.expiresAt().toString());
                Output.json(out, m);
                return;
            }
            out.println("user " + inv.user().email() + " invited (" + inv.user().id() + ") as " + r.wireName());
            out.println("invitation link (shown once, valid until " + inv.expiresAt() + "): " + link);
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the dashboard users.")
    static final class ListAll extends StoreCommand {
        @Override
        void run(Store store, PrintWriter out) {
            List<User> users = new Users(store, Clock.systemUTC()).list();
            if (common.json) {
                Output.json(out, users.stream().map(UserViews::user).toList());
                return;
            }
            Output.table(out, List.of("ID", "EMAIL", "ROLE", "WORKSPACES", "STATUS"), users.stream().map(u -> List.of(u.id(),
                    u.email(), u.role().wireName(), u.allWorkspaces() ? "all" : String.join(",", u.workspaceIds().stream().sorted().toList()),
                    u.active() ? "active" : "invited")).toList());
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user; their dashboard sessions end (on running servers within about 2 seconds).")
    static final class Remove extends StoreCommand {
        @Parameters(paramLabel = "USER", description = "the user's id (usr_…) or e-mail")
        String user;

        @Override
        void run(Store store, PrintWriter out) {
            User u = new Users(store, Clock.systemUTC()).remove(user);
            if (common.json) {
                Output.json(out, UserViews.user(u));
                return;
            }
            out.println("user " + u.email() + " removed");
            out.flush();
        }
    }

    /** This server's own address from its configuration: right on the machine it runs on, a start elsewhere. */
    static String ownAddress(ServerConfig config) {
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "127.0.0.1"
                : config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return (config.tlsEnabled() ? "https" : "http") + "://" + host + ":" + config.port();
    }
}
