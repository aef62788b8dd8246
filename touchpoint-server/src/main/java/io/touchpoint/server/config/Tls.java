package io.touchpoint.server.config;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS material for Jetty from either a PKCS#12 keystore or a PEM certificate chain and a PEM private key
 * (PKCS#8, "BEGIN PRIVATE KEY", as openssl writes by default; RSA or EC).
 */
public final class Tls {
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Tls() {
    }

    public static SslContextFactory.Server contextFactory(ServerConfig c) {
        SslContextFactory.Server f = new SslContextFactory.Server();
        try {
            if (c.tlsKeystore() != null) {
                char[] password = c.tlsKeystorePassword() == null ? new char[0] : c.tlsKeystorePassword().toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(c.tlsKeystore())) {
                    ks.load(in, password);
                }
                f.setKeyStore(ks);
                f.setKeyStorePassword(new String(password));
            } else {
                if (c.tlsPrivateKey() == null) {
                    throw new ConfigException("tls.certificate is set but tls.private-key is not");
                }
                f.setKeyStore(fromPem(c.tlsCertificate(), c.tlsPrivateKey()));
                f.setKeyStorePassword("");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot load the TLS certificate: " + e.getMessage());
        }
        return f;
    }

    static KeyStore fromPem(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) throw new ConfigException("no certificate found in " + certificateFile);
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher m = PEM_KEY.matcher(pem);
        if (!m.find()) {
            throw new ConfigException(keyFile + " has no PKCS#8 'BEGIN PRIVATE KEY' block; convert it with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key`");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        PrivateKey key = null;
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        if (key == null) throw new ConfigException("the private key in " + keyFile + " is not RSA, EC or Ed25519");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("touchpoint", key, new char[0], chain.toArray(Certificate[]::new));
        return ks;
    }
}
