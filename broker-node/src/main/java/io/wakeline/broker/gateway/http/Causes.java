package io.wakeline.broker.gateway.http;

import java.util.concurrent.CompletionException;

/** The failure a stage reports, without the {@link CompletionException} a dependent stage wraps it in. */
final class Causes {
    private Causes() {
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
