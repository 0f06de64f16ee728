package io.wakeline.loadtest;

import java.util.concurrent.CompletableFuture;

/**
 * Sends a scenario's {@code POST}s without blocking the caller (the dispatcher of an open loop).
 * The future fails on every transport problem (connect, TLS, reset, the per-request timeout as
 * {@link java.net.http.HttpTimeoutException}) and completes with the answer otherwise, whatever its
 * status. Closing it ends its threads and connections; what is still in flight then fails.
 */
interface PostTransport extends AutoCloseable {

    /**
     * @param connection which of the run's {@code --connections} to use (taken modulo their number),
     *                   so the caller spreads requests round-robin
     */
    CompletableFuture<PostAnswer> post(int connection, PostRequest request);

    @Override
    void close();
}
