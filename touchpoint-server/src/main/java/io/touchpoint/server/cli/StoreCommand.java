package io.touchpoint.server.cli;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.Stores;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that opens the configured store, does its work and closes it. The store must exist: only {@code serve}
 * creates one ({@link Stores#openExisting}).
 */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** The configuration the store was opened with. */
    io.touchpoint.server.config.ServerConfig config;

    @Override
    public final Integer call() {
        config = common.loader(Map.of()).load();
        try (Store store = Stores.openExisting(config)) {
            run(store, spec.commandLine().getOut());
        }
        return 0;
    }

    abstract void run(Store store, PrintWriter out);
}
