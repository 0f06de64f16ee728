package io.wakeline.broker.gateway.ratelimit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per key (sender app, channel, VAPID key), in this node's memory. A cluster enforces
 * each limit per node: a sender spread over N nodes may reach N times the rate. Buckets of idle keys are
 * forgotten; at most {@code maxKeys} are kept, and when that many keys are busy the least recently used one is
 * dropped (it starts over full), so memory stays bounded whatever keys callers invent.
 */
public final class KeyedRateLimiter {
    private final RateLimit limit;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true);
    private long lastSweepNanos;

    public KeyedRateLimiter(RateLimit limit, int maxKeys, LongSupplier nanoClock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive");
        }
        this.limit = limit;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
        this.lastSweepNanos = nanoClock.getAsLong();
    }

    public static KeyedRateLimiter systemClock(RateLimit limit, int maxKeys) {
        return new KeyedRateLimiter(limit, maxKeys, System::nanoTime);
    }

    public synchronized TokenBucket.Admission tryTake(String key) {
        if (limit.isUnlimited()) {
            return TokenBucket.Admission.Admitted.INSTANCE;
        }
        long now = nanoClock.getAsLong();
        sweepIdle(now);
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                Iterator<String> eldest = buckets.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            bucket = new TokenBucket(limit, now);
            buckets.put(key, bucket);
        }
        return bucket.tryTake(now);
    }

    /** For tests and metrics. */
    public synchronized int trackedKeys() {
        return buckets.size();
    }

    /** At most once per second: forget buckets that are full again (their key has been idle long enough). */
    private void sweepIdle(long now) {
        if (now - lastSweepNanos < 1_000_000_000L) {
            return;
        }
        lastSweepNanos = now;
        buckets.values().removeIf(bucket -> bucket.isFullAt(now));
    }
}
