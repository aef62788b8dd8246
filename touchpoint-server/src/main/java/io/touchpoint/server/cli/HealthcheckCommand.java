package io.touchpoint.server.cli;

import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code touchpoint healthcheck}: asks the server that this configuration describes for {@code GET /healthz} on
 * this machine, for a container's or a supervisor's health check (the container image has no curl). Exit 0 when it
 * answers 200, 1 otherwise.
 */
@Command(name = "healthcheck", mixinStandardHelpOptions = true,
        description = "Check that the server configured here answers GET /healthz on this machine (exit 0 when it does, "
                + "1 when not); the container image's health check.")
final class HealthcheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "config file (Java properties); default ./touchpoint.properties when present")
    java.nio.file.Path config;

    @Option(names = "--port", description = "the server's port (default: the configured one)")
    Integer port;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "how long to wait for the answer (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", port == null ? null : port.toString());
        ServerConfig cfg = new ConfigLoader(config, System.getenv(), flags).load();
        if (cfg.port() == 0) {
            spec.commandLine().getErr().println("touchpoint: healthcheck: the port is 0 (picked at start); give --port");
            return 1;
        }
        // a server on every interface is reached on loopback; one bound to a single address only there
        String host = switch (cfg.bind()) {
            case "0.0.0.0", "::", "[::]", "" -> "127.0.0.1";
            default -> cfg.bind().contains(":") && !cfg.bind().startsWith("[") ? "[" + cfg.bind() + "]" : cfg.bind();
        };
        URI uri = URI.create((cfg.tlsEnabled() ? "https" : "http") + "://" + host + ":" + cfg.port() + "/healthz");
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            if (c instanceof HttpsURLConnection tls) {
                // the probe sends nothing secret and only asks whether the process answers, so it does not check
                // the certificate: it is issued for the public name, not the loopback address asked here
                tls.setSSLSocketFactory(unverified().getSocketFactory());
                tls.setHostnameVerifier((name, session) -> true);
            }
            c.setConnectTimeout(timeoutSeconds * 1000);
            c.setReadTimeout(timeoutSeconds * 1000);
            int status = c.getResponseCode();
            c.disconnect();
            if (status == 200) return 0;
            spec.commandLine().getErr().println("touchpoint: healthcheck: " + uri + " answered " + status);
        } catch (IOException e) {
            spec.commandLine().getErr().println("touchpoint: healthcheck: " + uri + ": " + e);
        }
        return 1;
    }

    private static SSLContext unverified() {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{any}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
