package io.wakeline.simulator;

/**
 * Spaces connection attempts to a configured rate, so thousands of devices starting (or reconnecting) at
 * once do not SYN-flood the broker's accept queue. Single-threaded; times are {@link System#nanoTime()}.
 */
final class ConnectPacer {
    /** Budget left unused while idle is kept for at most this long, which bounds a catch-up burst. */
    private static final long MAX_SAVED_NANOS = 10_000_000L;

    private final long intervalNanos;
    private long nextSlotNanos;

    ConnectPacer(int connectsPerSecond, long nowNanos) {
        if (connectsPerSecond < 1) {
            throw new IllegalArgumentException("connect rate must be positive: " + connectsPerSecond);
        }
        this.intervalNanos = 1_000_000_000L / connectsPerSecond;
        this.nextSlotNanos = nowNanos;
    }

    /** Takes a slot if one is free at {@code nowNanos}. */
    boolean tryAcquire(long nowNanos) {
        if (nowNanos - nextSlotNanos < 0) {
            return false;
        }
        long earliest = nowNanos - Math.max(MAX_SAVED_NANOS, intervalNanos);
        if (nextSlotNanos - earliest < 0) {
            nextSlotNanos = earliest;
        }
        nextSlotNanos += intervalNanos;
        return true;
    }

    /** How long until the next slot frees up; zero if one is free now. */
    long nanosUntilNextSlot(long nowNanos) {
        return Math.max(0, nextSlotNanos - nowNanos);
    }
}
