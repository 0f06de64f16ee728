package io.wakeline.broker.gateway.ratelimit;

import com.typesafe.config.Config;

/**
 * One token-bucket rule: {@code perSecond} sustained, bursts of up to {@code burst}. A non-positive
 * {@code perSecond} turns the limit off.
 */
public record RateLimit(double perSecond, int burst) {

    public static final RateLimit UNLIMITED = new RateLimit(0, 0);

    public RateLimit {
        if (perSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("a limit needs a burst of at least 1");
        }
    }

    public boolean isUnlimited() {
        return perSecond <= 0;
    }

    /** {@code { per-second = 100, burst = 200 }}. */
    public static RateLimit fromConfig(Config config) {
        return new RateLimit(config.getDouble("per-second"), config.getInt("burst"));
    }
}
