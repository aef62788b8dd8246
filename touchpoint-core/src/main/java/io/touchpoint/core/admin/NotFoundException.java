package io.touchpoint.core.admin;

/** A workspace, token or other named thing does not exist (or is not visible to the caller). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
