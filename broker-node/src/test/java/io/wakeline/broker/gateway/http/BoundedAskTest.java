package io.wakeline.broker.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.pattern.AskTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BoundedAskTest {

    private static <T> BoundedAsk.Answer<T> answer(java.util.function.Supplier<CompletableFuture<T>> ask) {
        return BoundedAsk.<T>ask(ask).toCompletableFuture().join();
    }

    @Test
    void aReplyIsTheAnswer() {
        var replied = assertInstanceOf(BoundedAsk.Answer.Replied.class, answer(() -> CompletableFuture.completedFuture("ok")));
        assertEquals("ok", replied.reply());
    }

    @Test
    void anAskThatTimedOutIsNoReplyWrappedOrNot() {
        assertInstanceOf(BoundedAsk.Answer.NoReply.class,
                answer(() -> CompletableFuture.failedFuture(new AskTimeoutException("Ask timed out"))));
        assertInstanceOf(BoundedAsk.Answer.NoReply.class,
                answer(() -> CompletableFuture.failedFuture(new CompletionException(new TimeoutException()))));
        CompletableFuture<String> later = new CompletableFuture<>();
        var answer = BoundedAsk.ask(() -> later.thenApply(s -> s)); // a dependent stage wraps the failure
        later.completeExceptionally(new AskTimeoutException("Ask timed out"));
        assertInstanceOf(BoundedAsk.Answer.NoReply.class, answer.toCompletableFuture().join());
    }

    @Test
    void aFailureOrAThrowIsFailedWithItsCause() {
        IllegalStateException broke = new IllegalStateException("device side broke");
        assertEquals(broke, assertInstanceOf(BoundedAsk.Answer.Failed.class,
                answer(() -> CompletableFuture.failedFuture(broke))).cause());
        assertEquals(broke, assertInstanceOf(BoundedAsk.Answer.Failed.class, answer(() -> {
            throw broke;
        })).cause());
        assertInstanceOf(BoundedAsk.Answer.Failed.class, answer(() -> CompletableFuture.completedFuture(null)));
    }
}
