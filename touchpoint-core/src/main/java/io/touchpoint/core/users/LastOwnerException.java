package io.touchpoint.core.users;

/** A change would leave no user who owns every workspace: the last such owner cannot be removed or demoted. */
public class LastOwnerException extends RuntimeException {
    public LastOwnerException(String message) {
        super(message);
    }
}
