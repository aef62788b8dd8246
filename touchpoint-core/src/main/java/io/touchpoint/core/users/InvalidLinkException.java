package io.touchpoint.core.users;

/** An invitation or reset link that does not exist, was used already, or expired. */
public class InvalidLinkException extends RuntimeException {
    public InvalidLinkException(String message) {
        super(message);
    }
}
