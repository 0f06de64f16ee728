package io.wakeline.broker.gateway.ratelimit;

/**
 * A token bucket: starts full with {@code burst} tokens, refills at {@code perSecond}, each admitted request
 * takes one. Time comes from the caller (nanoseconds), so the rule is tested without sleeping. Not thread-safe;
 * {@link KeyedRateLimiter} serialises access.
 */
public final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1e9;

    private final RateLimit limit;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(RateLimit limit, long nowNanos) {
        this.limit = limit;
        this.tokens = limit.burst();
        this.lastRefillNanos = nowNanos;
    }

    /** Takes a token if there is one; otherwise says how long until there will be. */
    public Admission tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return Admission.Admitted.INSTANCE;
        }
        double missing = 1 - tokens;
        long waitNanos = (long) Math.ceil(missing / limit.perSecond() * NANOS_PER_SECOND);
        return new Admission.Limited(waitNanos);
    }

    /** Whether the bucket is full again (an idle sender's bucket can be forgotten). */
    public boolean isFullAt(long nowNanos) {
        refill(nowNanos);
        return tokens >= limit.burst();
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(limit.burst(), tokens + elapsed / NANOS_PER_SECOND * limit.perSecond());
            lastRefillNanos = nowNanos;
        }
    }

    /** Result of {@link #tryTake}. */
    public sealed interface Admission {
        enum Admitted implements Admission {
            INSTANCE
        }

        /** Over the rate; a token is available again after {@code retryAfterNanos}. */
        record Limited(long retryAfterNanos) implements Admission {
            /** Whole seconds, at least 1: what {@code Retry-After} carries. */
            public long retryAfterSeconds() {
                return Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
            }
        }
    }
}
