package io.wakeline.broker.gateway.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.Materializer;
import akka.stream.StreamLimitReachedException;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import io.wakeline.broker.AkkaStages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads a request body into memory, never keeping more than the endpoint's bound of it, within
 * {@code wakeline.app-gateway.body-timeout}; the stage always completes with a {@link Body}, never fails.
 *
 * <p>An oversized body is still read to its end, and discarded, up to {@code oversize-drain-limit} bytes: over
 * HTTP/2 a request stream cancelled early is reset before the answer goes out, and the sender would see a reset
 * instead of the 413. Past the drain limit the stream is cancelled anyway; such a sender is not owed a tidy answer.
 */
public final class BodyReader {
    private final Duration timeout;
    private final long drainLimit;
    private final Materializer materializer;

    public BodyReader(Duration timeout, long drainLimit, Materializer materializer) {
        this.timeout = timeout;
        this.drainLimit = drainLimit;
        this.materializer = materializer;
    }

    /** What reading a body came to. */
    public sealed interface Body {
        /** The whole body, at most the bound. */
        record Read(byte[] bytes) implements Body {
        }

        /** Longer than the bound (declared, or found while reading). */
        record TooLarge() implements Body {
        }

        /** Not read within the timeout, or the stream failed (the client went away). */
        record Unreadable(Throwable cause) implements Body {
        }
    }

    public CompletionStage<Body> read(HttpEntity entity, int maxBytes) {
        if (entity instanceof HttpEntity.Strict strict) {
            return CompletableFuture.completedFuture(strict.getData().size() > maxBytes
                    ? new Body.TooLarge() : new Body.Read(strict.getData().toArray()));
        }
        return AkkaStages.on(entity.getDataBytes()
                        .limitWeighted(Math.max(drainLimit, maxBytes), chunk -> (long) chunk.size())
                        .completionTimeout(timeout)
                        .runWith(Sink.fold(new Accumulator(maxBytes), Accumulator::add), materializer),
                        materializer.executionContext())
                .handle((accumulator, failure) -> {
                    if (failure != null) {
                        Throwable cause = Causes.unwrap(failure);
                        return cause instanceof StreamLimitReachedException || cause instanceof EntityStreamSizeException
                                ? new Body.TooLarge() : new Body.Unreadable(cause);
                    }
                    return accumulator.total > maxBytes ? new Body.TooLarge() : new Body.Read(accumulator.kept.result().toArray());
                });
    }

    /** Keeps the first {@code maxBytes}, counts the rest. Used by one stream only. */
    private static final class Accumulator {
        private final int maxBytes;
        private final ByteStringBuilder kept = new ByteStringBuilder();
        private long total;

        Accumulator(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        Accumulator add(ByteString chunk) {
            total += chunk.size();
            if (kept.length() < maxBytes) {
                kept.append(chunk.take(maxBytes - kept.length()));
            }
            return this;
        }
    }
}
