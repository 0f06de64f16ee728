package io.wakeline.broker.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAdmitsItsBurstThenRefusesWithTheWaitUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), 0);
        for (int i = 0; i < 3; i++) {
            assertSame(TokenBucket.Admission.Admitted.INSTANCE, bucket.tryTake(0));
        }
        var limited = assertInstanceOf(TokenBucket.Admission.Limited.class, bucket.tryTake(0));
        assertEquals(SECOND / 2, limited.retryAfterNanos());
        assertEquals(1, limited.retryAfterSeconds());
        assertSame(TokenBucket.Admission.Admitted.INSTANCE, bucket.tryTake(SECOND / 2));
    }

    @Test
    void refillNeverExceedsTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 2), 0);
        bucket.tryTake(0);
        bucket.tryTake(0);
        for (int i = 0; i < 2; i++) {
            assertSame(TokenBucket.Admission.Admitted.INSTANCE, bucket.tryTake(3600 * SECOND));
        }
        assertInstanceOf(TokenBucket.Admission.Limited.class, bucket.tryTake(3600 * SECOND));
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        TokenBucket bucket = new TokenBucket(new RateLimit(0.25, 1), 0);
        bucket.tryTake(0);
        assertEquals(4, ((TokenBucket.Admission.Limited) bucket.tryTake(0)).retryAfterSeconds());
    }

    @Test
    void keysHaveTheirOwnBucketsAndTheLimiterStaysBounded() {
        AtomicLong now = new AtomicLong();
        KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimit(1, 1), 2, now::get);
        assertSame(TokenBucket.Admission.Admitted.INSTANCE, limiter.tryTake("a"));
        assertInstanceOf(TokenBucket.Admission.Limited.class, limiter.tryTake("a"));
        assertSame(TokenBucket.Admission.Admitted.INSTANCE, limiter.tryTake("b"));
        assertSame(TokenBucket.Admission.Admitted.INSTANCE, limiter.tryTake("c"));
        assertEquals(2, limiter.trackedKeys());
        now.addAndGet(5 * SECOND);
        limiter.tryTake("d");
        assertEquals(1, limiter.trackedKeys(), "idle buckets that refilled are forgotten");
    }

    @Test
    void aZeroRateMeansNoLimit() {
        KeyedRateLimiter limiter = KeyedRateLimiter.systemClock(RateLimit.UNLIMITED, 10);
        for (int i = 0; i < 10_000; i++) {
            assertSame(TokenBucket.Admission.Admitted.INSTANCE, limiter.tryTake("k"));
        }
        assertEquals(0, limiter.trackedKeys());
    }

    @Test
    void inFlightSlotsAreBoundedAndGivenBackWhenASendEndsOrThrows() {
        InFlightLimit limit = new InFlightLimit(2);
        CompletableFuture<String> first = new CompletableFuture<>();
        assertTrue(limit.tryRun(() -> first).isPresent());
        assertTrue(limit.tryRun(CompletableFuture::new).isPresent());
        boolean[] ran = {false};
        assertTrue(limit.tryRun(() -> {
            ran[0] = true;
            return CompletableFuture.completedFuture("x");
        }).isEmpty());
        assertFalse(ran[0], "a send refused a slot does not run");
        assertEquals(2, limit.inFlight());
        first.complete("done");
        assertEquals(1, limit.inFlight());
        assertThrows(IllegalStateException.class, () -> limit.tryRun(() -> {
            throw new IllegalStateException("broke before answering");
        }));
        assertEquals(1, limit.inFlight(), "a send that throws gives its slot back");
        assertTrue(limit.tryRun(CompletableFuture::new).isPresent());
        assertEquals(2, limit.inFlight());
    }
}
