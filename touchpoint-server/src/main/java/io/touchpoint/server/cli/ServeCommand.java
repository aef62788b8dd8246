package io.touchpoint.server.cli;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.Stores;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the server (embedded SQLite store in the data folder unless configured otherwise).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    @Mixin
    CommonOptions common;

    @Option(names = "--port", description = "port to listen on (default 8080; 0 picks a free one)")
    Integer port;

    @Option(names = "--bind", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", port == null ? null : port.toString());
        flags.put("bind", bind);
        ConfigLoader loader = common.loader(flags);
        ServerConfig config = loader.load();
        io.touchpoint.server.telemetry.Logging.use(config.logFormat()); // log.format from the config file or a flag, too
        Store store = Stores.open(config);
        AdminCredential admin = new AdminCredential(store.settings(), System.getenv(AdminCredential.ENV));
        var created = admin.ensure();
        TouchpointServer server;
        try {
            server = TouchpointServer.start(config, store, admin, Clock.systemUTC());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        // SIGTERM and Ctrl-C ask the main thread to stop gracefully and exit 0. Left to the JVM, they would run
        // the shutdown hook below and end with status 143 (128 + SIGTERM), which service managers (systemd,
        // Kubernetes) report as a failure even though nothing was lost. A second signal exits at once.
        for (String name : new String[]{"TERM", "INT"}) {
            onSignal(name, signal -> {
                if (stopRequested.getCount() == 0) System.exit(128 + signal);
                stopRequested.countDown();
            });
        }
        // any other way out (System.exit, SIGHUP, signals the JVM keeps for itself) still drains the ingest queue
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopRequested.countDown();
        }, "shutdown"));
        var out = System.out;
        if (common.json) {
            Map<String, Object> info = new java.util.LinkedHashMap<>();
            info.put("listening", server.baseUrl());
            info.put("data", Stores.describe(config));
            info.put("https_required", config.httpsRequiredEffective());
            created.ifPresent(t -> info.put("admin_token", t));
            out.println(io.touchpoint.server.http.Json.text(info));
        } else {
            out.println("touchpoint listening on " + server.baseUrl());
            out.println("data in " + Stores.describe(config));
            out.println("HTTPS " + (config.httpsRequiredEffective() ? "required (loopback clients may use HTTP)"
                    : "not required"));
            created.ifPresent(t -> out.println("administrator token (shown once, store it safely): " + t));
        }
        out.flush();
        stopRequested.await();
        LOG.info("stopping: finishing requests in flight and committing queued events");
        server.close();
        LOG.info("stopped");
        return 0;
    }

    /** Handles a signal in place of the JVM's default, where the JVM allows it (not with -Xrs). */
    private static void onSignal(String name, java.util.function.IntConsumer action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.accept(s.getNumber()));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("cannot handle SIG{}, the shutdown hook will stop the server: {}", name, e.getMessage());
        }
    }
}
