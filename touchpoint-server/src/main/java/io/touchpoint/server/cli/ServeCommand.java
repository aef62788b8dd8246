package io.touchpoint.server.cli;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.Stores;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close(); // SIGTERM: drain the ingest queue before the process ends
            stopped.countDown();
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
        stopped.await();
        return 0;
    }
}
