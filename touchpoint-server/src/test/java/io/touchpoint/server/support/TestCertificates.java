package io.touchpoint.server.support;

import org.junit.jupiter.api.Assumptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for localhost and 127.0.0.1, made at test time (no key is ever committed): a
 * PKCS#12 keystore with the JDK's keytool, or a PEM certificate and PKCS#8 key with openssl.
 */
public final class TestCertificates {
    public static final String SUBJECT_ALT_NAMES = "DNS:localhost,IP:127.0.0.1";

    private TestCertificates() {
    }

    /** A PKCS#12 keystore holding one RSA key and its self-signed certificate. */
    public static Path pkcs12(Path dir, String password) {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(dir, keytool, "-genkeypair", "-alias", "touchpoint", "-keyalg", "RSA", "-keysize", "2048",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password,
                "-dname", "CN=localhost", "-ext", "SAN=" + SUBJECT_ALT_NAMES.toLowerCase(java.util.Locale.ROOT),
                "-validity", "2", "-noprompt");
        return keystore;
    }

    /** A PEM certificate and private key, made by openssl. */
    public record Pem(Path certificate, Path privateKey) {
    }

    /**
     * Makes a PEM pair with openssl. When openssl is not installed the test is skipped with a message, unless
     * the environment says {@code CI=true}, where that is a failure.
     */
    public static Pem pem(Path dir) {
        Optional<Path> openssl = onPath("openssl");
        if (openssl.isEmpty()) {
            String message = "openssl is not on the PATH, so PEM certificates cannot be made for this test";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message + " (CI=true)");
            Assumptions.abort(message + "; install openssl to run it");
        }
        Pem pem = new Pem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        run(dir, openssl.get().toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", pem.privateKey().toString(), "-out", pem.certificate().toString(),
                "-subj", "/CN=localhost", "-days", "2", "-addext", "subjectAltName=" + SUBJECT_ALT_NAMES);
        return pem;
    }

    /** A client context that trusts exactly the certificates in the given PKCS#12 keystore. */
    public static SSLContext trusting(Path pkcs12, String password) {
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", ks.getCertificate("touchpoint"));
            return context(trust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts exactly the given PEM certificate. */
    public static SSLContext trusting(Path pemCertificate) {
        try (InputStream in = Files.newInputStream(pemCertificate)) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", cert);
            return context(trust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext context(KeyStore trust) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static void run(Path dir, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Path output = Files.createTempFile(dir, "cert-tool", ".log");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd.get(0) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
