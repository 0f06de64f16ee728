package io.wakeline.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Stages that Akka's Java API hands out ({@code ask}, a stream's materialized value) are Scala futures wrapped in a
 * {@code CompletableFuture} subclass that runs even {@code thenApply}/{@code handle}/{@code whenComplete} callbacks
 * asynchronously on the JDK's default executor. With fewer than three cores that executor starts <b>one new thread per
 * callback</b> (the common pool's parallelism is then 1, so {@code CompletableFuture} does not use it): a JFR
 * recording of the control-channel benchmark here showed ~400 thread starts a second, one or two per message.
 * Callbacks on the hot paths therefore go through {@link #on} onto a plain future completed on a named executor.
 */
public final class AkkaStages {
    private AkkaStages() {
    }

    /** A plain future with the outcome of {@code stage}, completed on {@code executor}; its callbacks run there. */
    public static <T> CompletableFuture<T> on(CompletionStage<T> stage, Executor executor) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        stage.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                plain.completeExceptionally(failure);
            } else {
                plain.complete(value);
            }
        }, executor);
        return plain;
    }
}
