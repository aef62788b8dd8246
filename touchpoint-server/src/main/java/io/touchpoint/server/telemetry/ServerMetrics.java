package io.touchpoint.server.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.time.Duration;

/**
 * The process and the JVM on /metrics, as Micrometer's binders name them: memory pools ({@code jvm_memory_*},
 * {@code jvm_buffer_*}), garbage collection pauses and allocation ({@code jvm_gc_*}), threads ({@code jvm_threads_*}),
 * classes ({@code jvm_classes_*}), CPU ({@code process_cpu_usage}, {@code system_cpu_usage}, {@code system_cpu_count},
 * {@code system_load_average_1m}), open files ({@code process_files_open_files}, {@code process_files_max_files}),
 * start time and uptime ({@code process_start_time_seconds}, {@code process_uptime_seconds}). Also the buckets of the
 * time histograms that are not HTTP requests.
 */
public final class ServerMetrics {
    /** A batch's commit, from a fraction of a millisecond (few events, fast disk) to seconds (a stalled disk). */
    public static final Duration[] COMMIT_BUCKETS =
            millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);
    /** A processor stage's step: about 10 ms while ingest is active, up to seconds for a full batch when quiet. */
    public static final Duration[] STEP_BUCKETS =
            millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000);

    private ServerMetrics() {
    }

    /** Binds the JVM and process meters; the returned handle stops the GC listener. */
    public static AutoCloseable bindJvmAndProcess(MeterRegistry metrics) {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        new FileDescriptorMetrics().bindTo(metrics);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(metrics);
        return gc;
    }

    /** Histogram buckets given in milliseconds. */
    public static Duration[] millis(double... ms) {
        Duration[] out = new Duration[ms.length];
        for (int i = 0; i < ms.length; i++) out[i] = Duration.ofNanos((long) (ms[i] * 1_000_000));
        return out;
    }
}
