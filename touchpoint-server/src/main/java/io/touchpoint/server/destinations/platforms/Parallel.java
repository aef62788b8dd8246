package io.touchpoint.server.destinations.platforms;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one call per item side by side on virtual threads, for platforms that take one event a request. */
final class Parallel {
    private Parallel() {
    }

    static <T, R> List<R> each(List<T> items, Function<T, R> call) {
        if (items.size() == 1) return List.of(call.apply(items.get(0)));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> call.apply(item)));
            List<R> out = new ArrayList<>();
            for (Future<R> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a send failed unexpectedly", e.getCause());
        }
    }
}
