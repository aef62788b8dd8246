package io.touchpoint.core.store;

/** A storage failure the caller cannot fix by changing its input (the database is unreachable, broken or full). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
