package io.wakeline.loadtest;

/** The token endpoint refused us or could not be reached; the message says which and carries its answer. */
public final class AccessTokenUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    public AccessTokenUnavailable(String message) {
        super(message);
    }

    public AccessTokenUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
