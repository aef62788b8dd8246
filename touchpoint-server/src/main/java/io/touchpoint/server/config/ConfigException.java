package io.touchpoint.server.config;

/** A setting that cannot be used as given; the message says which and why. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
