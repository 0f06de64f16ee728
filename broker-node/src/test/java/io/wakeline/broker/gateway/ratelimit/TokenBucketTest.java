package io.wakeline.broker.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

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
    void inFlightSlotsAreBounded() {
        InFlightLimit limit = new InFlightLimit(2);
        assertEquals(true, limit.tryAcquire());
        assertEquals(true, limit.tryAcquire());
        assertEquals(false, limit.tryAcquire());
        limit.release();
        assertEquals(true, limit.tryAcquire());
    }
}
