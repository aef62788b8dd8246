package io.touchpoint.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a run happened on, for the results file: figures mean little without it. */
public final class Machine {
    private Machine() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", firstValue(Path.of("/proc/cpuinfo"), "model name", System.getProperty("os.arch")));
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal", null);
        if (mem != null && mem.endsWith(" kB")) {
            mem = String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(mem.replace(" kB", "").strip()) / 1048576.0);
        }
        m.put("memory", mem);
        String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME", System.getProperty("os.name"));
        m.put("os", os.replace("\"", "") + ", kernel " + System.getProperty("os.version"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.name") + ")");
        m.put("max_heap", String.format(java.util.Locale.ROOT, "%.1f GiB", Runtime.getRuntime().maxMemory() / 1073741824.0));
        m.put("load_average_at_start", read(Path.of("/proc/loadavg")));
        return m;
    }

    /** The 1-, 5- and 15-minute load averages now, to print beside a figure measured on a shared machine. */
    public static String load() {
        String l = read(Path.of("/proc/loadavg"));
        return l == null ? "unknown" : l;
    }

    private static String firstValue(Path file, String key, String fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
                if (sep > 0 && line.substring(0, sep).strip().equals(key)) return line.substring(sep + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
        return fallback;
    }

    private static String read(Path file) {
        try {
            String s = Files.readString(file).strip();
            String[] f = s.split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : s;
        } catch (IOException e) {
            return null;
        }
    }
}
