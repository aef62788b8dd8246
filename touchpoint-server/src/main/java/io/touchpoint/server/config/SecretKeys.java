package io.touchpoint.server.config;

import io.touchpoint.core.auth.SecretBox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The key that encrypts platform tokens and webhook secrets at rest: {@code secrets.key} (base64 of 32 bytes) when
 * set, else the key file ({@code secrets.key-file}, by default {@code secrets.key} in the data folder), created with
 * owner-only permissions on first start. Keys in {@code secrets.previous-keys} still open what they sealed.
 */
public final class SecretKeys {
    public static final String FILE_NAME = "secrets.key";

    private SecretKeys() {
    }

    public static SecretBox box(ServerConfig config) {
        List<byte[]> previous = new ArrayList<>();
        for (String k : config.previousSecretKeys()) previous.add(decode(k, "secrets.previous-keys"));
        if (config.secretKey() != null) return new SecretBox(decode(config.secretKey(), "secrets.key"), previous);
        Path file = config.secretKeyFile() != null ? config.secretKeyFile() : config.dataDir().resolve(FILE_NAME);
        return new SecretBox(readOrCreate(file), previous);
    }

    private static byte[] readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                String key = Base64.getEncoder().encodeToString(SecretBox.newKey()) + "\n";
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, key, StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                } catch (UnsupportedOperationException notPosix) {
                    Files.writeString(file, key, StandardCharsets.US_ASCII);
                }
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the secrets key file " + file + ": " + e.getMessage());
        }
    }

    private static byte[] decode(String base64, String where) {
        try {
            byte[] k = Base64.getDecoder().decode(base64.strip());
            if (k.length != 32) throw new IllegalArgumentException();
            return k;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + " must be a base64 encoded 32-byte key (openssl rand -base64 32)");
        }
    }
}
