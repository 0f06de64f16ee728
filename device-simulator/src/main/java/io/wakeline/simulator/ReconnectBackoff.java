package io.wakeline.simulator;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential reconnect delay (docs/protocol.md, "Reconnecting").
 *
 * <p>After {@code n} consecutive failed attempts the ceiling is {@code min(max, min * 2^n)} and the delay is
 * drawn uniformly from {@code [ceiling / 2, ceiling]}: "equal jitter", so a fleet that lost its links at the
 * same instant spreads its reconnects while each device still waits at least half the ceiling.
 */
record ReconnectBackoff(Duration min, Duration max) {
    /** 2^30 times any sensible minimum is already far beyond any sensible maximum. */
    private static final int MAX_DOUBLINGS = 30;

    ReconnectBackoff {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("minimum reconnect backoff must be positive: " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("maximum reconnect backoff " + max + " is below the minimum " + min);
        }
    }

    long ceilingNanos(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts, 0), MAX_DOUBLINGS);
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        if (minNanos > (maxNanos >> doublings)) {
            return maxNanos;
        }
        return Math.min(maxNanos, minNanos << doublings);
    }

    long delayNanos(int failedAttempts, RandomGenerator random) {
        long ceiling = ceilingNanos(failedAttempts);
        long half = ceiling / 2;
        return half + random.nextLong(ceiling - half + 1);
    }
}
