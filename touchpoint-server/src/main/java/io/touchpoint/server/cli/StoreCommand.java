package io.touchpoint.server.cli;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.Stores;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** A command that opens the configured store, does its work and closes it. */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (Store store = Stores.open(common.loader(Map.of()).load())) {
            run(store, spec.commandLine().getOut());
        }
        return 0;
    }

    abstract void run(Store store, PrintWriter out);
}
