package io.wakeline.broker.gateway.app;

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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Reads a request body into memory, never keeping more than {@code maxBytes} of it.
 *
 * <p>An oversized body fails the stage with {@link TooLarge}. It is still read to its end, and
 * discarded, up to {@code drainLimit} bytes: over HTTP/2 a request stream cancelled early is reset
 * before the answer goes out, and the sender would see a reset instead of the 413. Past the drain
 * limit the stream is cancelled anyway; such a sender is not owed a tidy answer.
 */
public final class BoundedEntity {
    private BoundedEntity() {
    }

    /** The body passed the bound it was read with. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long maxBytes) {
            super("body exceeds " + maxBytes + " bytes", null, false, false);
        }
    }

    public static CompletionStage<byte[]> read(HttpEntity entity, int maxBytes, long drainLimit, Duration timeout,
                                        Materializer materializer) {
        if (entity instanceof HttpEntity.Strict strict) {
            return strict.getData().size() > maxBytes
                    ? CompletableFuture.failedFuture(new TooLarge(maxBytes))
                    : CompletableFuture.completedFuture(strict.getData().toArray());
        }
        return AkkaStages.on(entity.getDataBytes()
                        .limitWeighted(Math.max(drainLimit, maxBytes), chunk -> (long) chunk.size())
                        .completionTimeout(timeout)
                        .runWith(Sink.fold(new Accumulator(maxBytes), Accumulator::add), materializer),
                        materializer.executionContext())
                .thenApply(accumulator -> {
                    if (accumulator.total > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    return accumulator.kept.result().toArray();
                });
    }

    public static boolean isTooLarge(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof TooLarge
                || cause instanceof StreamLimitReachedException
                || cause instanceof EntityStreamSizeException;
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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
