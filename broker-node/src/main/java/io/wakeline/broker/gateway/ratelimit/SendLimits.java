package io.wakeline.broker.gateway.ratelimit;

import com.typesafe.config.Config;

/**
 * {@code wakeline.app-gateway.limits} (reference.conf).
 *
 * @param sender           WNS sends per app (package SID): over it, 406 with {@code Retry-After}
 * @param channel          WNS sends per channel: over it, 200 {@code channelthrottled}
 * @param webPushSender    Web Push sends per sender (VAPID key, else subscription): over it, 429 with {@code Retry-After}
 * @param maxTrackedKeys   buckets kept per limiter
 * @param maxInFlightSends sends in progress on this node at once: over it, 503 with {@code Retry-After}
 */
public record SendLimits(RateLimit sender, RateLimit channel, RateLimit webPushSender, int maxTrackedKeys,
                         int maxInFlightSends) {

    public static SendLimits fromConfig(Config limits) {
        return new SendLimits(
                RateLimit.fromConfig(limits.getConfig("sender")),
                RateLimit.fromConfig(limits.getConfig("channel")),
                RateLimit.fromConfig(limits.getConfig("web-push-sender")),
                limits.getInt("max-tracked-keys"),
                limits.getInt("max-in-flight-sends"));
    }
}
