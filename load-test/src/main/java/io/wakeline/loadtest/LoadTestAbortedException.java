package io.wakeline.loadtest;

/** The run could not start (unreadable channel file or PEM, no usable channel, no access token). */
public final class LoadTestAbortedException extends Exception {

    private static final long serialVersionUID = 1L;

    public LoadTestAbortedException(String message) {
        super(message);
    }

    public LoadTestAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
