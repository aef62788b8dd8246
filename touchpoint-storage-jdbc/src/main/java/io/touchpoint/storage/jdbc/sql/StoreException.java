package io.touchpoint.storage.jdbc.sql;

/** A database failure the caller cannot fix by changing its input. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
