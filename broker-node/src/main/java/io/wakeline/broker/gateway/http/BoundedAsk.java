package io.wakeline.broker.gateway.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A route's one ask to the device side, and every way it can end as one {@link Answer}: the reply, no reply in time,
 * or a failure.
 *
 * <p>The bound is the ask's own timeout, not a second one laid over it: the device directory asks the entity through
 * cluster sharding with {@code wakeline.app-gateway.device-ask-timeout}, and its stage fails with Akka's
 * {@code AskTimeoutException} when that passes (node assembly, {@code AppGatewayBinding}). So a hop has one timer,
 * and a route has one outcome to answer with whether the ask answered, timed out, failed or threw.
 */
public final class BoundedAsk {
    private BoundedAsk() {
    }

    /** How an ask ended. */
    public sealed interface Answer<T> {
        record Replied<T>(T reply) implements Answer<T> {
        }

        /** The ask's timeout passed: the device's node did not answer (entity recovering, shard moving, node gone). */
        record NoReply<T>() implements Answer<T> {
        }

        /** The ask threw or failed otherwise: a bug, not load. */
        record Failed<T>(Throwable cause) implements Answer<T> {
        }
    }

    public static <T> CompletionStage<Answer<T>> ask(Supplier<? extends CompletionStage<T>> ask) {
        CompletionStage<T> asked;
        try {
            asked = ask.get();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Answer.Failed<>(e));
        }
        return asked.handle((reply, failure) -> {
            if (failure == null) {
                return reply == null ? new Answer.Failed<>(new IllegalStateException("the device side replied null"))
                        : new Answer.Replied<>(reply);
            }
            Throwable cause = Causes.unwrap(failure);
            // akka.pattern.AskTimeoutException extends TimeoutException
            return cause instanceof TimeoutException ? new Answer.NoReply<>() : new Answer.Failed<>(cause);
        });
    }
}
