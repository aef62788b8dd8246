package io.touchpoint.server.cli;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.admin.AdminCredential;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

@Command(name = "admin-token", mixinStandardHelpOptions = true, description = "Manage the administrator token.",
        subcommands = {AdminTokenCommand.Reset.class})
final class AdminTokenCommand {

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Replace the stored administrator token and print the new one (once). A running server "
                    + "picks it up on restart; TOUCHPOINT_ADMIN_TOKEN, when set, overrides it.")
    static final class Reset extends StoreCommand {
        @Override
        void run(Store store, PrintWriter out) {
            String secret = new AdminCredential(store.settings(), null).reset();
            if (common.json) {
                Output.json(out, Map.of("admin_token", secret));
            } else {
                out.println(secret);
                out.println("shown once: store it safely");
                out.flush();
            }
        }
    }
}
